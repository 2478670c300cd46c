package io.herald.client.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The trace of one notification ({@code GET /v1/notifications/{id}}): where it is and how it got there.
 *
 * @param target            the recipient, masked ({@code [erased]} after the user was deleted)
 * @param reason            why it ended early, when it did
 * @param detail            a human explanation of the reason or of the last failure
 * @param attempts          delivery attempts so far
 * @param provider          the provider that took it (e.g. {@code apns}, {@code sendgrid})
 * @param providerMessageId the provider's id of the message
 * @param events            its history, oldest first (may be empty in search results)
 */
public record Notification(UUID id, String eventId, String userId, Channel channel, Priority priority, String category,
                           String template, Integer templateVersion, String target, Status status, Reason reason,
                           String detail, int attempts, String provider, String providerMessageId, Instant sendAt,
                           Instant expiresAt, Instant createdAt, Instant updatedAt, List<NotificationEvent> events) {

    public Notification {
        events = events == null ? List.of() : List.copyOf(events);
    }
}
