package io.herald.client.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered device of a user.
 *
 * @param active        false once the vendor reported the token unregistered (then {@code deactivatedAt} is set)
 * @param token         the APNs or FCM token (IOS, ANDROID)
 * @param subscription  the Web Push subscription (WEB)
 */
public record Device(UUID deviceId, Platform platform, String token, WebPushSubscription subscription, boolean active,
                     Instant registeredAt, Instant deactivatedAt) {
}
