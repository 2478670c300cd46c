package io.herald.core.engagement;

import java.util.Locale;

/** The app's addresses that must not be mailed again (hard bounces, complaints). */
public interface SuppressionList {

    /** @param address an email address, in any case */
    boolean isSuppressed(long appId, String address);

    /** The form an address is kept and looked up in: Ada@Example.com and ada@example.com are one mailbox. */
    static String normalise(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
