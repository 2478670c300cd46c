package io.herald.client.model;

/**
 * The outcome of one item of a batch send, in the order of the request: a receipt (HTTP-like status 202, or
 * 200 for an eventId already accepted) or a problem for that item alone.
 */
public record BatchItemResult(int status, SendReceipt receipt, Problem problem) {

    /** Whether the item was accepted (now or before): then {@link #receipt()} is set, else {@link #problem()}. */
    public boolean accepted() {
        return receipt != null;
    }
}
