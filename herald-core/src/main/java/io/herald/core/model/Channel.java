package io.herald.core.model;

/** A delivery channel as the API names it. PUSH fans out to every active device (APNs, FCM, Web Push). */
public enum Channel {
    PUSH, SMS, EMAIL
}
