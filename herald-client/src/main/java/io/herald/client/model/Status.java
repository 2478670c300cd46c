package io.herald.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Lifecycle status of one notification (one channel and one target). */
public enum Status {
    SCHEDULED, QUEUED, SENDING, RETRYING, SENT, DELIVERED, FAILED, SUPPRESSED, CANCELLED, EXPIRED,
    /** A status this version of the client does not know yet (the server is newer). */
    @JsonEnumDefaultValue
    UNKNOWN;

    /**
     * Whether the notification is done: DELIVERED, FAILED, SUPPRESSED, CANCELLED, EXPIRED, and SENT (which a
     * delivery receipt may still turn into DELIVERED or FAILED when the channel reports one).
     */
    public boolean terminal() {
        switch (this) {
            case SENT :
            case DELIVERED :
            case FAILED :
            case SUPPRESSED :
            case CANCELLED :
            case EXPIRED :
                return true;
            default :
                return false;
        }
    }

    /** Whether {@code cancel} can still stop it: SCHEDULED or QUEUED. */
    public boolean cancellable() {
        return this == SCHEDULED || this == QUEUED;
    }
}
