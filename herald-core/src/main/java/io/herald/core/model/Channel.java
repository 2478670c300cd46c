package io.herald.core.model;

/**
 * A delivery channel as the API names it. PUSH fans out to every active device (APNs, FCM, Web Push); IN_APP is
 * the user's inbox in Herald itself (feed, realtime stream and web component).
 */
public enum Channel {
    PUSH, SMS, EMAIL, IN_APP
}
