package io.herald.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** A topic of the app: a named list of users that one send can address. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Topic(String key, String name, Instant createdAt, Instant updatedAt) {
}
