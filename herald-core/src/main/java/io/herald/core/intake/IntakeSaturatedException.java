package io.herald.core.intake;

/**
 * A single send refused because as many sends as the intake may hold already wait for it (a flood above what the
 * database can store): nothing was stored, and the caller should retry shortly. HIGH sends are never refused so.
 */
public final class IntakeSaturatedException extends RuntimeException {

    private final int limit;

    public IntakeSaturatedException(int limit) {
        // thrown at the rate of the flood: no stack trace to fill in
        super(limit + " single sends are in intake already, as many as it holds", null, false, false);
        this.limit = limit;
    }

    /** How many sends may be in intake at once. */
    public int limit() {
        return limit;
    }
}
