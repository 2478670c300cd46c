package io.herald.core.intake;

import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.WorkQueue;

import java.time.Duration;

/**
 * Immediate work handed from intake straight to a lane of this process, instead of being committed as due and then
 * claimed back by that lane a moment later. Intake reserves a send slot first, stores the notification already leased
 * to the lane (SENDING, its queue entry leased, its SENDING event) in the intake transaction, and after the commit starts
 * the delivery. A claim costs PostgreSQL a statement that rewrites the queue entry and the notification (a quarter of a
 * single send's statement time when every send is claimed, docs/benchmarks.md); this costs nothing beyond the intake
 * statement it rides on.
 *
 * <p>Crash safety is the claim's: an entry leased to a process that dies is claimed again once its lease ends.
 */
public interface LaneHandoff {

    /** Never hands off: every notification is committed due and claimed. */
    LaneHandoff NONE = (queue, priority) -> null;

    /**
     * A send slot of this process's lane for one delivery, or null: the lane is not here, not running, has no free slot,
     * has due work in the database that must go first (a handoff would overtake it), or is a bulk lane resting for HIGH.
     */
    Reservation reserve(WorkQueue queue, Priority priority);

    /** A reserved slot: either {@link #start} or {@link #cancel} it, exactly once. */
    interface Reservation {

        /** The lease owner to store on the queue entry: the lane's worker id, as its claims store it. */
        String owner();

        /** How long the lease runs: the lane's, as its claims lease. */
        Duration lease();

        /** After the intake commit: delivers in the reserved slot, as if the lane had claimed it. */
        void start(ClaimedDelivery delivery);

        /** Nothing was stored (the commit failed, or the eventId turned out a replay): frees the slot. */
        void cancel();
    }
}
