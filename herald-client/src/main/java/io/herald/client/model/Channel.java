package io.herald.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A delivery channel. PUSH means every active device of the user (APNs, FCM, Web Push); IN_APP is the user's inbox. */
public enum Channel {
    PUSH, SMS, EMAIL, IN_APP,
    /** A channel this version of the client does not know yet (the server is newer); never send it. */
    @JsonEnumDefaultValue
    UNKNOWN
}
