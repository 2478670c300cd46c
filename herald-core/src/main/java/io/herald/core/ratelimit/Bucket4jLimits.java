package io.herald.core.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** What every bucket4j-backed {@link RateLimiter} shares: limit to configuration, one acquire, clock to time meter. */
public final class Bucket4jLimits {

    private Bucket4jLimits() {
    }

    public static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity())
                        .refillGreedy(limit.refillTokens(), limit.refillPeriod()).build())
                .build();
    }

    /** One token from {@code bucket} (local or remote: the same atomic bucket4j commands), per {@link RateLimiter#acquire}. */
    public static RateLimiter.Decision acquire(Bucket bucket, Duration maxWait) {
        if (maxWait.isZero() || maxWait.isNegative()) {
            ConsumptionProbe p = bucket.tryConsumeAndReturnRemaining(1);
            return p.isConsumed()
                    ? RateLimiter.Decision.CONSUMED
                    : RateLimiter.Decision.rejected(Duration.ofNanos(p.getNanosToWaitForRefill()));
        }
        // bucket4j reserves atomically and then asks a strategy to park for the wait; this strategy only records the
        // wait, turning "block until the token is due" into "the token is yours at now + wait"
        long[] due = {0};
        boolean reserved = bucket.asBlocking().tryConsumeUninterruptibly(1, maxWait.toNanos(), nanos -> due[0] += nanos);
        if (!reserved) return RateLimiter.Decision.rejected(Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
        return due[0] == 0 ? RateLimiter.Decision.CONSUMED : RateLimiter.Decision.reserved(Duration.ofNanos(due[0]));
    }

    /** A bucket4j time source reading {@code clock}, so tests control refill with a settable clock and no sleeps. */
    public static TimeMeter timeMeter(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }
}
