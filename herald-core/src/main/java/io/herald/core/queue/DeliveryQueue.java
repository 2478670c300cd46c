package io.herald.core.queue;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The work queues ({@link WorkQueue}), each with one lane per priority. Claims are leases: an entry claimed by a
 * worker that dies becomes claimable again once {@code now} passes the lease, so nothing accepted is ever stranded.
 * Implementations must let many workers (threads or processes) claim concurrently without handing the
 * same entry to two of them while its lease runs.
 */
public interface DeliveryQueue {

    /** Leases up to {@code max} due entries of one lane, oldest first, and marks them SENDING. */
    List<ClaimedDelivery> claim(WorkQueue queue, Priority priority, int max, Duration lease, String owner, Instant now);

    /**
     * Stores outcomes, each atomically with its history event and queue change, if its lease still holds (same owner,
     * same attempt). @return the outcomes dropped because their lease had been taken over (nothing of them is stored)
     */
    List<Transition> apply(List<Transition> transitions);

    /** Ends entries whose expiresAt has passed while they waited (scheduled or retrying). @return how many */
    int expireOverdue(Instant now, int max);

    /** Records the QUEUED event of scheduled entries that became due. @return how many */
    int promoteDue(Instant now, int max);

    /** Puts dead letters back into their queues as fresh work. @return how many */
    int requeueDeadLetters(List<UUID> ids, Instant now);

    /**
     * Makes claims of this work queue that wait for work return now, with what they have: a stop is under way. A claim
     * that starts just after it may return early too, once. The default does nothing: a database claim never waits.
     */
    default void interruptClaims(WorkQueue queue) {
    }

    /** Depth of every lane, for /v1/queues and metrics. */
    List<LaneStats> stats(Instant now);

    /** One lane's figures; {@code platform} is set for the per-platform PUSH queues. */
    record LaneStats(String queue, Channel channel, Platform platform, Priority priority, long ready, long scheduled,
                     long inFlight, long retrying, long deadLetter, double oldestReadyAgeSeconds) {
    }
}
