package io.herald.core.dispatch;

import io.herald.core.model.Platform;
import io.herald.core.queue.WorkQueue;
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

    /**
     * iOS: APNs answers over HTTP/2 and a send in flight holds no thread, so the slots are cheap; a slot is held from
     * the claim until the outcome is stored, so with 64 of them a lane moved 64 pushes per claim-send-store round trip.
     */
    public static final LaneSettings IOS = new LaneSettings(1024, 500, DEFAULT.lease(), DEFAULT.pollInterval(), RetryPolicy.DEFAULT);

    /** The settings in code of one queue, before configuration overrides them. */
    public static LaneSettings defaultFor(WorkQueue queue) {
        return queue.platform() == Platform.IOS ? IOS : DEFAULT;
    }

    public LaneSettings {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
    }
}
