package io.herald.providers.resilience;

import java.time.Duration;

/**
 * A provider's throughput limit: {@code permits} sends per {@code period}, refilled smoothly, with bursts up to
 * {@code permits}. Example: FCM's default quota of 600,000 messages a minute is {@code (600_000, 1 min, 50 ms)}.
 *
 * @param permits  sends allowed per period, also the largest burst
 * @param period   the period of the limit
 * @param maxWait  how long a send may wait for a permit before it is handed back to the queue (default 50 ms)
 */
public record ThrottleSettings(long permits, Duration period, Duration maxWait) {

    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(50);

    public ThrottleSettings {
        if (permits < 1) throw new IllegalArgumentException("permits must be at least 1");
        if (period == null || period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
        maxWait = maxWait == null ? DEFAULT_MAX_WAIT : maxWait;
        if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait must not be negative");
    }
}
