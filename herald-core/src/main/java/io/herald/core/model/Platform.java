package io.herald.core.model;

/** Device platforms: IOS takes an APNs token, ANDROID an FCM registration token, WEB a Web Push subscription. */
public enum Platform {
    IOS, ANDROID, WEB
}
