package io.herald.client.model;

import java.time.Instant;

/** An address Herald will not email for the app (reason HARD_BOUNCE or COMPLAINT), and where that came from. */
public record Suppression(String address, String reason, String source, String detail, Instant createdAt) {
}
