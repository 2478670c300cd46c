package io.herald.core.dispatch;

import io.herald.core.retry.RetryPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * How one queue's workers run (a channel's, or one push platform's).
 *
 * @param concurrency      sends in flight at once per priority lane (each lane has its own, so HIGH is never starved)
 * @param batchSize        entries claimed per database round trip
 * @param lease            how long a claim is held; must exceed the slowest provider call, or work is sent twice
 * @param pollInterval     how soon an idle lane looks again for due work it was not rung for (scheduled, retries,
 *                         expired leases)
 * @param idlePollInterval the longest an idle lane waits: each look that finds nothing doubles the wait from
 *                         {@code pollInterval} up to this, and a ring or a find starts again from {@code pollInterval}
 *                         (18 lanes looking 5 times a second kept an idle server and its database busy)
 * @param handoffHeadroom  deliveries intake may hand to a lane whose {@code concurrency} slots are all taken, when the
 *                         lane is drained: a slot is held until its outcome is stored, so under a steady stream the
 *                         slots fill with outcomes waiting for their commit, and without it fresh sends are stored as due
 *                         and claimed instead (a claim statement and a queue round trip each). Provider calls in flight stay
 *                         within {@code concurrency}; claims never use the headroom, so a backlog drains as before
 */
public record LaneSettings(int concurrency, int batchSize, Duration lease, Duration pollInterval, RetryPolicy retryPolicy,
                           Duration idlePollInterval, int handoffHeadroom) {

    /** The handoff headroom when none is configured, as a multiple of {@code concurrency}. */
    public static final int HANDOFF_HEADROOM_FACTOR = 3;

    /** An idle lane's longest wait when none is configured, as a multiple of {@code pollInterval}. */
    public static final int IDLE_POLL_FACTOR = 10;

    public static final LaneSettings DEFAULT = new LaneSettings(64, 100, Duration.ofSeconds(60), Duration.ofMillis(200),
            RetryPolicy.DEFAULT);

    public LaneSettings {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(idlePollInterval, "idlePollInterval");
        if (idlePollInterval.compareTo(pollInterval) < 0)
            throw new IllegalArgumentException("idlePollInterval must be at least pollInterval");
        if (handoffHeadroom < 0) throw new IllegalArgumentException("handoffHeadroom must not be negative");
    }

    /** With the default handoff headroom: {@link #HANDOFF_HEADROOM_FACTOR} times {@code concurrency}. */
    public LaneSettings(int concurrency, int batchSize, Duration lease, Duration pollInterval, RetryPolicy retryPolicy,
                        Duration idlePollInterval) {
        this(concurrency, batchSize, lease, pollInterval, retryPolicy, idlePollInterval, concurrency * HANDOFF_HEADROOM_FACTOR);
    }

    /** With the default idle wait: {@link #IDLE_POLL_FACTOR} times {@code pollInterval}. */
    public LaneSettings(int concurrency, int batchSize, Duration lease, Duration pollInterval, RetryPolicy retryPolicy) {
        this(concurrency, batchSize, lease, pollInterval, retryPolicy, pollInterval.multipliedBy(IDLE_POLL_FACTOR));
    }

    /** The wait after an idle lane's next look finds nothing again: twice this one, at most {@code idlePollInterval}. */
    Duration longerIdleWait(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(idlePollInterval) > 0 ? idlePollInterval : doubled;
    }
}
