package io.herald.core.intake;

import java.util.List;
import java.util.Optional;

/** Durable intake: a send is stored, whole or not at all, before the API answers. */
public interface NotificationStore {

    Optional<SendReceipt> findReceipt(long appId, String eventId);

    /**
     * Stores each send (its receipt, notifications, queue entries and first history events) in ONE transaction.
     * A send whose eventId the app already used is not stored again: its slot in the result is the receipt
     * stored the first time, flagged as a replay.
     */
    List<Stored> acceptAll(List<Accepted> sends);

    record Accepted(long appId, SendReceipt receipt, List<NewNotification> notifications) {
    }

    record Stored(SendReceipt receipt, boolean replay) {
    }
}
