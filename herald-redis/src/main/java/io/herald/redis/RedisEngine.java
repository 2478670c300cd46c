package io.herald.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Herald's connection to Redis (Lettuce): one multiplexed connection for commands, shared by all threads (Lettuce
 * pipelines concurrent commands on it), and pub/sub connections on demand.
 *
 * <p>Failure handling, the same for every use: a command waits at most {@link RedisSettings#timeout()}; while the
 * connection is down commands fail at once (Lettuce reconnects by itself in the background); after any failure
 * Redis is not asked for {@link RedisSettings#retryAfter()}, so a hung Redis costs one timeout per period, not one
 * per request. Every failure is a {@link RedisUnavailableException}, which each use turns into its fallback. A
 * Redis that is down when Herald starts is connected to later, on first use after the retry period. Thread-safe.
 */
public final class RedisEngine implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisSettings settings;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> connection;
    private final LongSupplier nanoTime;
    private volatile long quietUntil;
    private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();

    public RedisEngine(RedisSettings settings) {
        this(settings, System::nanoTime);
    }

    /** @param nanoTime the clock of the retry period (a test's, to pass it without waiting) */
    RedisEngine(RedisSettings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.quietUntil = nanoTime.getAsLong();
        RedisURI uri = RedisURI.create(settings.url());
        uri.setTimeout(settings.timeout());
        // reconnect attempts back off to at most the retry period (Lettuce's default is 30 s): back within a second
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), settings.retryAfter(), 2, TimeUnit.MILLISECONDS)).build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // fail at once while disconnected instead of queueing commands until the timeout
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout().multipliedBy(4)).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                quietUntil = nanoTime.getAsLong(); // Redis is back: no need to wait out the retry period
                for (Runnable r : connectedListeners) r.run();
            }
        });
        try {
            call(c -> c.ping());
        } catch (RedisUnavailableException e) {
            // not fatal: Herald runs on its fallbacks and connects when Redis is there; a slow first answer (cold start)
            // must not keep Redis out for a retry period
            quietUntil = nanoTime.getAsLong();
        }
    }

    public RedisSettings settings() {
        return settings;
    }

    /** Calls {@code listener} (on Lettuce's thread) whenever a connection to Redis is made, first or again. */
    public void onConnected(Runnable listener) {
        connectedListeners.add(listener);
    }

    /** Runs {@code command}, or throws {@link RedisUnavailableException} when Redis is down or was a moment ago. */
    public <T> T call(Function<RedisCommands<String, String>, T> command) {
        if (nanoTime.getAsLong() - quietUntil < 0)
            throw new RedisUnavailableException("Redis failed less than " + settings.retryAfter() + " ago", null);
        StatefulRedisConnection<String, String> c = connection != null ? connection : connect();
        try {
            return command.apply(c.sync());
        } catch (RedisCommandExecutionException e) {
            if (e instanceof RedisNoScriptException) throw e;
            throw new IllegalStateException("Redis refused a command: " + e.getMessage(), e); // a bug, not an outage
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** Runs a script over {@code keys} and {@code args}, loading it when Redis does not know it (yet, or any more). */
    public List<Object> script(RedisScript script, String[] keys, String... args) {
        return call(c -> {
            try {
                return c.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                return c.eval(script.source(), ScriptOutputType.MULTI, keys, args);
            }
        });
    }

    /** A new pub/sub connection (its subscriptions are renewed by Lettuce after a reconnect); throws when Redis is down. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        try {
            return client.connectPubSub();
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    private StatefulRedisConnection<String, String> connect() {
        // one thread connects; the others fall back at once instead of queueing behind a slow connect
        if (!connecting.tryLock()) throw new RedisUnavailableException("connecting to Redis", null);
        try {
            if (connection == null) connection = client.connect();
            return connection;
        } catch (RedisException e) {
            throw unavailable(e);
        } finally {
            connecting.unlock();
        }
    }

    private RedisUnavailableException unavailable(RedisException e) {
        quietUntil = nanoTime.getAsLong() + settings.retryAfter().toNanos();
        return new RedisUnavailableException("Redis unavailable: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) c.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
