package io.herald.core.audience;

import java.time.Instant;

/** A named list of users of one app that a send can address at once. */
public record Topic(String key, String name, Instant createdAt, Instant updatedAt) {
}
