package io.herald.client;

/**
 * Base of every exception the client throws: {@link HeraldProblemException} when Herald answered with an error,
 * {@link HeraldTransportException} when no usable answer came (connection failure, timeout, unreadable body).
 */
public class HeraldException extends RuntimeException {

    public HeraldException(String message, Throwable cause) {
        super(message, cause);
    }
}
