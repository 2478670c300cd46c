package io.herald.client.model;

/** One invalid field of a request, e.g. {@code ("to.email", "is not a valid email address")}. */
public record FieldError(String field, String message) {
}
