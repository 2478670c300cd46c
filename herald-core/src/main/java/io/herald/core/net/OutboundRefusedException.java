package io.herald.core.net;

/** A URL that a client supplied points where Herald must not connect (internal address, wrong scheme). */
public final class OutboundRefusedException extends RuntimeException {

    public OutboundRefusedException(String message) {
        super(message);
    }
}
