package io.herald.core.retention;

import java.time.Instant;

/** Where settled notifications are deleted from, with everything that hangs on them. */
public interface HistoryPurge {

    /**
     * Deletes up to {@code max} settled notifications (a terminal status, nothing left in a queue) created before
     * {@code cutoff}, with their history and inbox items, and the receipts of sends none of whose notifications is left.
     * Work still waiting or in flight is never touched, however old.
     *
     * @return how many notifications were deleted
     */
    int purgeSettledBefore(Instant cutoff, int max);

    /**
     * Deletes up to {@code max} records of audience sends finished before {@code cutoff}: broadcasts (not a campaign's,
     * which its campaign still shows) none of whose notifications is left, and flushed digest windows, each with the
     * receipts it reserved (the broadcast's eventId, the merged sends' eventIds). An engine without such records has
     * nothing to delete.
     *
     * @return how many broadcasts and digest windows were deleted
     */
    default int purgeFinishedAudienceSendsBefore(Instant cutoff, int max) {
        return 0;
    }
}
