package io.herald.client.model;

import java.time.Instant;
import java.util.UUID;

/** A conversion Herald credited to {@code notificationId}, a notification of the send {@code eventId}. */
public record Conversion(String eventId, UUID notificationId, Instant at) {
}
