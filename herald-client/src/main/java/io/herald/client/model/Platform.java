package io.herald.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Device platforms: IOS takes an APNs token, ANDROID an FCM registration token, WEB a Web Push subscription. */
public enum Platform {
    IOS, ANDROID, WEB,
    /** A platform this version of the client does not know yet (the server is newer); never send it. */
    @JsonEnumDefaultValue
    UNKNOWN
}
