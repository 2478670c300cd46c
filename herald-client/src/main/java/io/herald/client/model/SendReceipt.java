package io.herald.client.model;

import java.util.List;

/**
 * The answer to a send.
 *
 * @param notifications one per channel and target
 * @param replayed      true when Herald had already accepted this eventId (the original receipt is returned and
 *                      nothing new was created), for example after the client retried a send that had gone through
 */
public record SendReceipt(String eventId, List<NotificationSummary> notifications, boolean replayed) {

    public SendReceipt {
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
    }

    public SendReceipt withReplayed(boolean replayed) {
        return new SendReceipt(eventId, notifications, replayed);
    }
}
