package io.herald.core.model;

/** Lifecycle of one notification (one channel x one target). */
public enum Status {
    SCHEDULED, QUEUED, SENDING, RETRYING, SENT, DELIVERED, FAILED, SUPPRESSED, CANCELLED, EXPIRED;

    /** Terminal statuses never change again, except SENT, which a delivery receipt may still turn into DELIVERED or FAILED. */
    public boolean isTerminal() {
        return switch (this) {
            case SENT, DELIVERED, FAILED, SUPPRESSED, CANCELLED, EXPIRED -> true;
            default -> false;
        };
    }

    /** Still waiting in a queue: cancellable (the console shows its cancel button only then). */
    public boolean isCancellable() {
        return this == SCHEDULED || this == QUEUED;
    }
}
