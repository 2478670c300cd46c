package io.herald.core.queue;

import java.time.Instant;
import java.util.UUID;

/** Withdrawing a notification that still waits in a queue. */
public interface Cancellation {

    /** @return true when it was SCHEDULED or QUEUED and is now CANCELLED; false when it is in flight, done or not the app's */
    boolean cancel(long appId, UUID id, Instant now);
}
