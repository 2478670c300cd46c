package io.herald.core.template;

import com.samskivert.mustache.Mustache;
import io.herald.core.model.Channel;

import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.Date;

/** The two jmustache compilers Herald uses, configured once. Compilers and compiled templates are thread-safe. */
final class Mustaches {

    /** Numbers as people write them: 3 not 3.0, 0.00001 not 1.0E-5. */
    private static final Mustache.Formatter FORMATTER = new Mustache.Formatter() {
        @Override
        public String format(Object value) {
            return switch (value) {
                case BigDecimal d -> d.toPlainString();
                case Double d when !d.isInfinite() && !d.isNaN() -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
                case Float f when !f.isInfinite() && !f.isNaN() -> new BigDecimal(f.toString()).stripTrailingZeros().toPlainString();
                case Date d -> d.toInstant().toString();
                case TemporalAccessor t -> t.toString();
                default -> String.valueOf(value);
            };
        }
    };

    // missing optional variables render as empty text; "" and false skip sections, as template authors expect
    private static final Mustache.Compiler PLAIN = Mustache.compiler().escapeHTML(false).defaultValue("")
            .emptyStringIsFalse(true).withFormatter(FORMATTER);
    private static final Mustache.Compiler HTML = PLAIN.escapeHTML(true);

    private Mustaches() {
    }

    /** Email html escapes values ({@code {{{x}}}} or {@code {{&x}}} opt out); no other field does: SMS and push are plain text. */
    static Mustache.Compiler forField(Channel channel, String field) {
        return channel == Channel.EMAIL && field.equals("html") ? HTML : PLAIN;
    }
}
