package io.herald.providers.resilience;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.ratelimit.Bucket4jLimits;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps one provider under its vendor's throughput quota with an in-process token bucket (bucket4j), so
 * this server does not collect 429s and quota bans. A send waits at most {@link ThrottleSettings#maxWait()}
 * for a permit; if none comes in time it returns {@link SendResult.Failed} with {@code retryAfter} = the time
 * until a permit is free, without calling the provider: the message goes back to the queue (or fails over to
 * the next provider) instead of hammering the vendor.
 *
 * <p>The limit is per instance of this class, i.e. per process, unless a shared {@link RateLimiter} is given (Redis):
 * then every process throttling a provider of the same name shares one budget, the vendor's account quota.
 * Thread-safe (the bucket is lock-free); name, channel and supports are the delegate's.
 */
public final class ThrottledProvider implements ChannelProvider {

    private final ChannelProvider delegate;
    private final ThrottleSettings settings;
    private final Bucket bucket;
    private final BlockingStrategy waiting;
    /** Null: the local bucket decides. */
    private final RateLimiter shared;

    public ThrottledProvider(ChannelProvider delegate, ThrottleSettings settings) {
        this(delegate, settings, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    /**
     * With a clock as the bucket's time source and a custom way to wait, for tests: waiting can advance a
     * settable clock instead of parking the thread.
     */
    public ThrottledProvider(ChannelProvider delegate, ThrottleSettings settings, Clock clock, BlockingStrategy waiting) {
        this(delegate, settings, Bucket4jLimits.timeMeter(clock), waiting);
    }

    /**
     * Throttled through {@code shared}, one bucket per provider name across every process using that limiter (a
     * {@link io.herald.core.ratelimit.FailoverRateLimiter} keeps sending on a local bucket while the shared one is
     * down). {@code waiting} parks for a permit reserved within maxWait.
     */
    public ThrottledProvider(ChannelProvider delegate, ThrottleSettings settings, RateLimiter shared, BlockingStrategy waiting) {
        this(delegate, settings, TimeMeter.SYSTEM_NANOTIME, waiting, Objects.requireNonNull(shared, "shared"));
    }

    private ThrottledProvider(ChannelProvider delegate, ThrottleSettings settings, TimeMeter time, BlockingStrategy waiting) {
        this(delegate, settings, time, waiting, null);
    }

    private ThrottledProvider(ChannelProvider delegate, ThrottleSettings settings, TimeMeter time, BlockingStrategy waiting,
                              RateLimiter shared) {
        this.shared = shared;
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = settings;
        this.waiting = waiting;
        this.bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(settings.permits()).refillGreedy(settings.permits(), settings.period()))
                .withCustomTimePrecision(time)
                .build();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Channel channel() {
        return delegate.channel();
    }

    @Override
    public boolean supports(Target target) {
        return delegate.supports(target);
    }

    @Override
    public int preferredConcurrency(Channel channel, Platform platform) {
        return delegate.preferredConcurrency(channel, platform);
    }

    @Override
    public SendResult send(OutboundMessage message) {
        SendResult refused = acquire();
        return refused != null ? refused : delegate.send(message);
    }

    /** Waits for a permit in the calling (virtual) thread as {@link #send} does, then sends without waiting. */
    @Override
    public CompletionStage<SendResult> sendAsync(OutboundMessage message) {
        SendResult refused = acquire();
        return refused != null ? CompletableFuture.completedFuture(refused) : delegate.sendAsync(message);
    }

    /** Null when a permit was taken, else the refusal to answer without calling the provider. */
    private SendResult acquire() {
        Duration wait;
        try {
            wait = shared != null ? sharedPermit() : localPermit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed("interrupted while waiting for a " + delegate.name() + " send permit");
        }
        if (wait == null) return null;
        return SendResult.notAttempted("throttled: " + delegate.name() + " is at its limit of " + settings.permits()
                + " per " + settings.period(), wait);
    }

    /** Reserves a permit that frees up within maxWait and waits for it: null; else the time until one is free. */
    private Duration localPermit() throws InterruptedException {
        boolean permitted = settings.maxWait().isZero()
                ? bucket.tryConsume(1)
                : bucket.asBlocking().tryConsume(1, settings.maxWait(), waiting);
        return permitted ? null : Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    /** The same through the shared limiter: one round trip, then the wait (if any) here. */
    private Duration sharedPermit() throws InterruptedException {
        RateLimiter.Decision d = shared.acquire("provider:" + delegate.name(), Limit.of(settings.permits(), settings.period()),
                settings.maxWait());
        if (!d.granted()) return d.delay();
        if (d.delay().isPositive()) waiting.park(d.delay().toNanos());
        return null;
    }

    /** Permits free right now in the local bucket, for metrics (not the shared budget's). */
    public long availablePermits() {
        return bucket.getAvailableTokens();
    }

    public ChannelProvider delegate() {
        return delegate;
    }
}
