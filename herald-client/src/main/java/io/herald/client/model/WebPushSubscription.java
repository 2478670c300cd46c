package io.herald.client.model;

import java.util.Objects;

/**
 * A browser's Web Push subscription, as {@code PushSubscription.toJSON()} gives it.
 *
 * @param endpoint the push service URL of the subscription
 * @param keys     the subscription's public key and auth secret (base64url)
 */
public record WebPushSubscription(String endpoint, Keys keys) {

    public WebPushSubscription {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(keys, "keys");
    }

    public static WebPushSubscription of(String endpoint, String p256dh, String auth) {
        return new WebPushSubscription(endpoint, new Keys(p256dh, auth));
    }

    /**
     * The subscription's keys.
     *
     * @param p256dh the base64url P-256 public key
     * @param auth   the base64url 16-byte auth secret
     */
    public record Keys(String p256dh, String auth) {
    }
}
