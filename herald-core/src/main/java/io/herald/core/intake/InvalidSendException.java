package io.herald.core.intake;

/** The send cannot be accepted as asked (no channel, content missing for a channel, expiry in the past). Nothing was stored. */
public class InvalidSendException extends RuntimeException {

    private final String field;

    public InvalidSendException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
