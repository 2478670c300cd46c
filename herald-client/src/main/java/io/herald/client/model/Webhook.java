package io.herald.client.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A status webhook of the app. Deliveries are signed per Standard Webhooks with {@code secret}, which Herald shows
 * only in the answer to the creation (null everywhere else).
 *
 * @param deliveries counts, only when read one by one
 */
public record Webhook(UUID id, String url, List<String> events, boolean enabled, String disabledReason, Instant createdAt,
                      Instant disabledAt, String secret, Deliveries deliveries) {

    public record Deliveries(long pending, long delivered, long failed) {
    }
}
