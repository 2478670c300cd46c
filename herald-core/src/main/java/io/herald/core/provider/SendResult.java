package io.herald.core.provider;

import io.herald.core.model.Reason;

import java.time.Duration;
import java.util.Objects;

/**
 * What a provider answered for one message. Exactly one of three outcomes, so the retry decision is a
 * pure function of the result (see {@code RetryPolicy}) and no failure collapses into a generic error.
 */
public sealed interface SendResult {

    /**
     * The provider took the message. SENT now; DELIVERED if a receipt arrives later. {@code detail}, when not null,
     * goes into the SENT event of the trace (the sandbox says it did not deliver). {@code receiptsFollow}: the provider
     * reports on the message later by its id (Twilio's status callback), so that id must find the notification.
     */
    record Accepted(String providerMessageId, String detail, boolean receiptsFollow) implements SendResult {
        public Accepted(String providerMessageId, String detail) {
            this(providerMessageId, detail, false);
        }

        public Accepted(String providerMessageId) {
            this(providerMessageId, null, false);
        }
    }

    /**
     * Permanent refusal: sending the same message again cannot succeed. {@link Reason#TOKEN_UNREGISTERED}
     * additionally deactivates the device, unless it was registered again after {@code tokenInvalidSince}
     * (APNs reports that time; null means "now").
     */
    record Rejected(Reason reason, String detail, java.time.Instant tokenInvalidSince) implements SendResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        public Rejected(Reason reason, String detail) {
            this(reason, detail, null);
        }
    }

    /**
     * Transient failure (timeout, 5xx, throttling, connection loss): worth retrying, after retryAfter if the provider
     * said so. {@code attempted} is false when the message never left Herald (open circuit breaker, local throughput
     * limit): such a refusal does not use up one of the notification's attempts.
     */
    record Failed(String detail, Duration retryAfter, boolean attempted) implements SendResult {
        public Failed(String detail, Duration retryAfter) {
            this(detail, retryAfter, true);
        }

    }

    static SendResult accepted(String providerMessageId) {
        return new Accepted(providerMessageId);
    }

    /** Accepted, and the provider will report on it by {@code providerMessageId} (a receipt). */
    static SendResult acceptedWithReceipts(String providerMessageId) {
        return new Accepted(providerMessageId, null, true);
    }

    static SendResult accepted(String providerMessageId, String detail) {
        return new Accepted(providerMessageId, detail);
    }

    static SendResult rejected(Reason reason, String detail) {
        return new Rejected(reason, detail);
    }

    static SendResult failed(String detail) {
        return new Failed(detail, null);
    }

    static SendResult failed(String detail, Duration retryAfter) {
        return new Failed(detail, retryAfter);
    }

    /** Not sent at all, for a local reason (circuit open, throttled): retry later without counting an attempt. */
    static SendResult notAttempted(String detail, Duration retryAfter) {
        return new Failed(detail, retryAfter, false);
    }
}
