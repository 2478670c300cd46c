package io.herald.client.model;

import java.util.Objects;

/**
 * A device to register for a user, or to send to once: IOS and ANDROID take a token, WEB a subscription.
 * Use the factories: {@link #ios(String)}, {@link #android(String)}, {@link #web(WebPushSubscription)}.
 */
public record DeviceTarget(Platform platform, String token, WebPushSubscription subscription) {

    public DeviceTarget {
        Objects.requireNonNull(platform, "platform");
    }

    /** An iPhone or iPad by its APNs device token (hexadecimal). */
    public static DeviceTarget ios(String apnsToken) {
        return new DeviceTarget(Platform.IOS, Objects.requireNonNull(apnsToken, "apnsToken"), null);
    }

    /** An Android device by its FCM registration token. */
    public static DeviceTarget android(String fcmToken) {
        return new DeviceTarget(Platform.ANDROID, Objects.requireNonNull(fcmToken, "fcmToken"), null);
    }

    /** A browser by its Web Push subscription. */
    public static DeviceTarget web(WebPushSubscription subscription) {
        return new DeviceTarget(Platform.WEB, null, Objects.requireNonNull(subscription, "subscription"));
    }
}
