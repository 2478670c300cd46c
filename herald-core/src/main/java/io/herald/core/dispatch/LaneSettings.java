package io.herald.core.dispatch;

import io.herald.core.retry.RetryPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * How one queue's workers run (a channel's, or one push platform's).
 *
 * @param concurrency  sends in flight at once per priority lane (each lane has its own, so HIGH is never starved)
 * @param batchSize    entries claimed per database round trip
 * @param lease        how long a claim is held; must exceed the slowest provider call, or work is sent twice
 * @param pollInterval how often an idle lane looks for due work it was not rung for (scheduled, retries, other processes)
 */
public record LaneSettings(int concurrency, int batchSize, Duration lease, Duration pollInterval, RetryPolicy retryPolicy) {

    public static final LaneSettings DEFAULT = new LaneSettings(64, 100, Duration.ofSeconds(60), Duration.ofMillis(200),
            RetryPolicy.DEFAULT);

    public LaneSettings {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
    }
}
