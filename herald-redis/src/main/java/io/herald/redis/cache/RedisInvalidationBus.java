package io.herald.redis.cache;

import io.herald.core.cache.InvalidationBus;
import io.herald.redis.RedisEngine;
import io.herald.redis.RedisUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Cache invalidations across processes over Redis pub/sub: one channel per topic ({@code herald:inv:<topic>}), the
 * message is the key. Publications go out on the engine's command connection; subscriptions live on a pub/sub
 * connection of this bus, which Lettuce renews after a reconnect.
 *
 * <p>Redis down: publications are dropped (the writer has invalidated its own caches; the others' expire by TTL) and
 * nothing is received. Pub/sub keeps nothing for absent subscribers, so whenever a subscription is (re)confirmed the
 * topic's subscribers drop everything ({@link Listener#invalidateAll()}): what was missed meanwhile lingers no longer
 * than the outage. A Redis that is down at start is connected to later (every retry period). Thread-safe.
 */
public final class RedisInvalidationBus implements InvalidationBus, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationBus.class);
    static final String CHANNEL_PREFIX = "herald:inv:";

    private final RedisEngine redis;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("herald-redis-pubsub-connect").unstarted(r));
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean closed;

    public RedisInvalidationBus(RedisEngine redis) {
        this.redis = redis;
        connect();
    }

    @Override
    public void publish(String topic, String key) {
        try {
            redis.call(c -> c.publish(CHANNEL_PREFIX + topic, key));
        } catch (RedisUnavailableException e) {
            log.debug("invalidation of {} {} not published (other processes wait for the TTL): {}", topic, key, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("invalidation of {} {} not published", topic, key, e);
        }
    }

    @Override
    public void subscribe(String topic, Listener listener) {
        boolean first = listeners.get(topic) == null;
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
        StatefulRedisPubSubConnection<String, String> c = pubSub;
        if (first && c != null) subscribeNow(c, topic); // else subscribed already, or at connect
    }

    private void subscribeNow(StatefulRedisPubSubConnection<String, String> c, String topic) {
        if (closed) return;
        try {
            c.sync().subscribe(CHANNEL_PREFIX + topic); // returns once Redis confirmed: publications from now on arrive
        } catch (RedisException e) {
            // Lettuce renews only subscriptions Redis confirmed: try again until this one is
            log.debug("subscription to {} deferred until Redis answers: {}", topic, e.getMessage());
            retries.schedule(() -> subscribeNow(c, topic), redis.settings().retryAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void connect() {
        if (closed) return;
        try {
            StatefulRedisPubSubConnection<String, String> c = redis.connectPubSub();
            c.addListener(new Deliverer());
            String[] channels = listeners.keySet().stream().map(t -> CHANNEL_PREFIX + t).toArray(String[]::new);
            if (channels.length > 0) c.sync().subscribe(channels);
            pubSub = c;
        } catch (RedisUnavailableException | RedisException e) {
            log.debug("no pub/sub connection yet: {}", e.getMessage());
            retries.schedule(this::connect, redis.settings().retryAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs on Lettuce's thread: subscribers are quick (a cache removal). */
    private final class Deliverer extends RedisPubSubAdapter<String, String> {

        @Override
        public void message(String channel, String key) {
            each(channel, l -> l.invalidate(key));
        }

        @Override
        public void subscribed(String channel, long count) {
            each(channel, Listener::invalidateAll);
        }

        private void each(String channel, Consumer<Listener> call) {
            if (!channel.startsWith(CHANNEL_PREFIX)) return;
            for (Listener l : listeners.getOrDefault(channel.substring(CHANNEL_PREFIX.length()), List.of())) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    log.warn("invalidation subscriber of {} failed", channel, e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        StatefulRedisPubSubConnection<String, String> c = pubSub;
        if (c != null) c.close();
    }
}
