package io.herald.client.model;

/**
 * The result of an idempotent write (user upsert, device registration): what is stored now, and whether this call
 * created it (HTTP 201) or found and updated it (200).
 */
public record Saved<T>(T value, boolean created) {
}
