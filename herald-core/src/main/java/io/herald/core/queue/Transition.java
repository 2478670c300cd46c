package io.herald.core.queue;

import io.herald.core.model.Reason;
import io.herald.core.model.Status;

import java.time.Instant;
import java.util.UUID;

/**
 * The outcome of one delivery attempt, to be stored atomically: new status, a history event and the
 * queue entry's fate (removed when the status is terminal, re-armed for {@code retryAt} when RETRYING).
 */
public record Transition(UUID id, Status status, Reason reason, String detail, String provider,
                         String providerMessageId, int attempt, Instant retryAt, boolean deadLetter, Instant at) {

    public static Transition sent(ClaimedDelivery d, String provider, String providerMessageId, Instant at) {
        return new Transition(d.id(), Status.SENT, null, null, provider, providerMessageId, d.attempt(), null, false, at);
    }

    public static Transition retry(ClaimedDelivery d, String provider, String detail, Instant retryAt, Instant at) {
        return new Transition(d.id(), Status.RETRYING, null, detail, provider, null, d.attempt(), retryAt, false, at);
    }

    public static Transition end(ClaimedDelivery d, Status status, Reason reason, String provider, String detail, Instant at) {
        boolean dead = reason == Reason.RETRIES_EXHAUSTED;
        return new Transition(d.id(), status, reason, detail, provider, null, d.attempt(), null, dead, at);
    }
}
