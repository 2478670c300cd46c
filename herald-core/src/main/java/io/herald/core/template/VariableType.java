package io.herald.core.template;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The declared type of a template variable. Values arrive from JSON, so each type names what JSON may carry for it.
 */
public enum VariableType {
    /** Any scalar (text, number, boolean): it renders as text. */
    STRING,
    /** A JSON number. A numeric string is refused: the client's data has the wrong shape and should be fixed. */
    NUMBER,
    /** A JSON boolean. */
    BOOLEAN,
    /** An ISO-8601 date or date-time string ({@code 2026-11-23}, {@code 2026-11-23T09:00:00+09:00}), or a java.time value. */
    DATE,
    /** An absolute http or https URL. */
    URL,
    /** A JSON object or array, for sections ({@code {{#items}}...{{/items}}}) and dotted names ({@code {{order.id}}}). */
    OBJECT;

    /** True when {@code value} (never null here) is acceptable for this type. */
    public boolean accepts(Object value) {
        return switch (this) {
            case STRING -> value instanceof CharSequence || value instanceof Number || value instanceof Boolean;
            case NUMBER -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
            case DATE -> value instanceof TemporalAccessor || value instanceof Date
                    || value instanceof CharSequence s && isIsoDate(s.toString());
            case URL -> value instanceof CharSequence s && isWebUrl(s.toString());
            case OBJECT -> value instanceof Map<?, ?> || value instanceof Collection<?> || value.getClass().isArray();
        };
    }

    /** What this type expects, for error messages. */
    public String expectation() {
        return switch (this) {
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case DATE -> "an ISO-8601 date or date-time such as 2026-11-23 or 2026-11-23T09:00:00+09:00";
            case URL -> "an absolute http(s) URL";
            case OBJECT -> "an object or array";
        };
    }

    private static final List<Function<String, ?>> DATE_FORMS = List.of(OffsetDateTime::parse, Instant::parse, LocalDateTime::parse,
            LocalDate::parse);

    private static boolean isIsoDate(String s) {
        for (Function<String, ?> form : DATE_FORMS) {
            try {
                form.apply(s);
                return true;
            } catch (DateTimeParseException ignored) {
                // not this form; try the next
            }
        }
        return false;
    }

    private static boolean isWebUrl(String s) {
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
