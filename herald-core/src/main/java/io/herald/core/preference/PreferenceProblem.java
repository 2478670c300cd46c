package io.herald.core.preference;

/** One thing wrong in a preferences document, with its JSON path ({@code channels.WHATSAPP}). */
public record PreferenceProblem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
