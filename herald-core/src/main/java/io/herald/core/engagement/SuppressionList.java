package io.herald.core.engagement;

/** The app's addresses that must not be mailed again (hard bounces, complaints). */
public interface SuppressionList {

    /** @param address an email address, in any case */
    boolean isSuppressed(long appId, String address);
}
