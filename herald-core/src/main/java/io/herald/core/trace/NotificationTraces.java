package io.herald.core.trace;

import io.herald.core.model.Channel;
import io.herald.core.model.Status;
import io.herald.core.model.TargetLookup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reading a notification's trace and history, searching them, and recording tracking events; always within one app. */
public interface NotificationTraces {

    /** One history event of a notification. */
    record Event(String status, Instant at, Integer attempt, String provider, String reason, String detail) {
    }

    /** A notification as its app sees it: target masked, with its history when read one by one. */
    record NotificationView(UUID id, String eventId, String userId, Channel channel, String priority, String category,
                            String templateKey, Integer templateVersion, String target, Status status, String reason,
                            String detail, int attempts, String provider, String providerMessageId, Instant sendAt,
                            Instant expiresAt, Instant createdAt, Instant updatedAt, List<Event> events, UUID broadcastId) {
    }

    /**
     * Search filters; nulls match everything. The cursor is the (createdAt, id) of the last row of the previous page.
     * A target finds the notifications sent to that address; a broadcast's only while its recipient still has it.
     */
    record Filter(String userId, String eventId, Status status, Channel channel, Instant from, Instant to,
                  Instant cursorAt, UUID cursorId, int limit, TargetLookup.Typed target) {
        public Filter(String userId, String eventId, Status status, Channel channel, Instant from, Instant to,
                      Instant cursorAt, UUID cursorId, int limit) {
            this(userId, eventId, status, channel, from, to, cursorAt, cursorId, limit, null);
        }
    }

    Optional<NotificationView> get(long appId, UUID id);

    /** Newest first; ask for limit + 1 rows to know whether there is a next page. */
    List<NotificationView> search(long appId, Filter filter);

    /**
     * Records the event in the notification's history and applies {@link TrackingEvent#statusAfter} to its status.
     * @return false when the notification is not the app's
     */
    boolean recordEvent(long appId, UUID id, TrackingEvent event, Instant at, String detail);
}
