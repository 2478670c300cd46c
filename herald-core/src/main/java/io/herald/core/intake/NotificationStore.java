package io.herald.core.intake;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Durable intake: a send is stored, whole or not at all, before the API answers. */
public interface NotificationStore {

    Optional<SendReceipt> findReceipt(long appId, String eventId);

    /**
     * The receipts already stored for any of these eventIds, by eventId. Stores should answer in one query: a batch
     * looks up all its eventIds before planning anything, so a replay renders nothing and takes no limiter tokens.
     */
    default Map<String, SendReceipt> findReceipts(long appId, Collection<String> eventIds) {
        Map<String, SendReceipt> found = new LinkedHashMap<>();
        for (String eventId : eventIds) findReceipt(appId, eventId).ifPresent(r -> found.put(eventId, r));
        return found;
    }

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
