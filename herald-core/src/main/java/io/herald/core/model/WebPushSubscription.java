package io.herald.core.model;

import java.util.Objects;

/** A browser's Web Push subscription (PushSubscription.toJSON()): push service endpoint and the client's keys. */
public record WebPushSubscription(String endpoint, String p256dh, String auth) {
    public WebPushSubscription {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(p256dh, "p256dh");
        Objects.requireNonNull(auth, "auth");
    }
}
