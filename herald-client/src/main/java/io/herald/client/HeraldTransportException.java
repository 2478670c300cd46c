package io.herald.client;

/**
 * No usable answer from Herald: the connection failed, the request timed out, or the answer could not be read.
 * When the call was retried, this is the last failure and {@link #attempts()} says how many were made.
 *
 * <p>After a timeout on a call that is not idempotent, the server may or may not have acted on it.
 */
public class HeraldTransportException extends HeraldException {

    private final boolean timeout;
    private final int attempts;

    public HeraldTransportException(String message, Throwable cause, boolean timeout, int attempts) {
        super(message, cause);
        this.timeout = timeout;
        this.attempts = attempts;
    }

    /** Whether the last attempt timed out (connect or request timeout). */
    public boolean timeout() {
        return timeout;
    }

    /** How many attempts were made, retries included. */
    public int attempts() {
        return attempts;
    }
}
