package io.herald.client.model;

import java.time.Instant;
import java.util.Map;

/** A stored user of the calling app, as Herald answers it. */
public record User(String userId, String email, String phone, String locale, String timezone, Map<String, Object> attributes,
                   Instant createdAt, Instant updatedAt) {

    public User {
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }
}
