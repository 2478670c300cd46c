package io.herald.client.model;

import java.time.Instant;

/**
 * A token for one user's in-app inbox: hand it to that user's browser or app, which calls the inbox API with
 * {@code Authorization: Bearer <token>} and sees only that user's messages until {@code expiresAt}.
 */
public record InboxToken(String token, Instant expiresAt) {

    /** Does not print the token: it is a credential. */
    @Override
    public String toString() {
        return "InboxToken[expiresAt=" + expiresAt + "]";
    }
}
