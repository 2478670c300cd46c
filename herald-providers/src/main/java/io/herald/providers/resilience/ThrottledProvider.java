package io.herald.providers.resilience;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.herald.core.model.Channel;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.ratelimit.Bucket4jLimits;

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
 * <p>The limit is per instance of this class, i.e. per process: divide a vendor quota by the number of workers.
 * Thread-safe (the bucket is lock-free); name, channel and supports are the delegate's.
 */
public final class ThrottledProvider implements ChannelProvider {

    private final ChannelProvider delegate;
    private final ThrottleSettings settings;
    private final Bucket bucket;
    private final BlockingStrategy waiting;

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

    private ThrottledProvider(ChannelProvider delegate, ThrottleSettings settings, TimeMeter time, BlockingStrategy waiting) {
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
        boolean permitted;
        try {
            // reserves a permit that frees up within maxWait and waits for it; refuses at once otherwise
            permitted = settings.maxWait().isZero()
                    ? bucket.tryConsume(1)
                    : bucket.asBlocking().tryConsume(1, settings.maxWait(), waiting);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed("interrupted while waiting for a " + delegate.name() + " send permit");
        }
        if (permitted) return null;
        Duration wait = Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
        return SendResult.notAttempted("throttled: " + delegate.name() + " is at its limit of " + settings.permits()
                + " per " + settings.period(), wait);
    }

    /** Permits free right now, for metrics. */
    public long availablePermits() {
        return bucket.getAvailableTokens();
    }

    public ChannelProvider delegate() {
        return delegate;
    }
}
