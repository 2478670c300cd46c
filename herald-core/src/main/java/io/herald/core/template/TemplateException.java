package io.herald.core.template;

/** A template cannot be rendered: unknown key or version, missing or mistyped variable, content too long. */
public class TemplateException extends RuntimeException {

    public enum Kind {
        NOT_FOUND, INVALID_DATA, RENDER_FAILED
    }

    private final Kind kind;

    public TemplateException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
