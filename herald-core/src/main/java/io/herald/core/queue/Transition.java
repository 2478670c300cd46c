package io.herald.core.queue;

import io.herald.core.model.Reason;
import io.herald.core.model.Status;

import java.time.Instant;
import java.util.UUID;

/**
 * The outcome of one delivery attempt, to be stored atomically: new status, a history event and the
 * queue entry's fate (removed when the status is terminal, re-armed for {@code retryAt} when RETRYING).
 * {@code attempt} is the attempt count to store (a refusal that never reached a provider gives its attempt back);
 * {@code lease} is the claim it answers, and the outcome is dropped when that lease no longer holds.
 * {@code receiptsFollow}: receipts will look the notification up by {@code providerMessageId}.
 */
public record Transition(UUID id, Status status, Reason reason, String detail, String provider,
                         String providerMessageId, boolean receiptsFollow, int attempt, Instant retryAt, boolean deadLetter,
                         Instant at, Lease lease) {

    public static Transition sent(ClaimedDelivery d, String provider, String providerMessageId, Instant at) {
        return sent(d, provider, providerMessageId, false, at);
    }

    public static Transition sent(ClaimedDelivery d, String provider, String providerMessageId, boolean receiptsFollow, Instant at) {
        return new Transition(d.id(), Status.SENT, null, null, provider, providerMessageId, receiptsFollow, d.attempt(), null, false, at,
                d.lease());
    }

    public static Transition retry(ClaimedDelivery d, String provider, String detail, Instant retryAt, Instant at) {
        return new Transition(d.id(), Status.RETRYING, null, detail, provider, null, false, d.attempt(), retryAt, false, at, d.lease());
    }

    public static Transition end(ClaimedDelivery d, Status status, Reason reason, String provider, String detail, Instant at) {
        return end(d, d.attempt(), status, reason, provider, detail, at);
    }

    /** Ends it with {@code attempts} stored as its attempt count. */
    public static Transition end(ClaimedDelivery d, int attempts, Status status, Reason reason, String provider, String detail,
                                 Instant at) {
        boolean dead = reason == Reason.RETRIES_EXHAUSTED;
        return new Transition(d.id(), status, reason, detail, provider, null, false, attempts, null, dead, at, d.lease());
    }

    /** Waits until {@code until} without counting this try: nothing reached a provider. */
    public static Transition giveBack(ClaimedDelivery d, Status status, String provider, String detail, Instant until, Instant at) {
        return new Transition(d.id(), status, null, detail, provider, null, false, d.attempt() - 1, until, false, at, d.lease());
    }

    public Transition withDetail(String newDetail) {
        return new Transition(id, status, reason, newDetail, provider, providerMessageId, receiptsFollow, attempt, retryAt, deadLetter, at,
                lease);
    }
}
