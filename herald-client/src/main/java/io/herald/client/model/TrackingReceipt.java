package io.herald.client.model;

import java.time.Instant;
import java.util.UUID;

/** Herald recorded the tracking event {@code type} on notification {@code id} at {@code at}. */
public record TrackingReceipt(UUID id, TrackingEventType type, Instant at) {
}
