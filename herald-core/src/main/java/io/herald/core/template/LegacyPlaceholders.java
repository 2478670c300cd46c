package io.herald.core.template;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts the legacy {@code [item_name]} placeholder form, which older Herald templates and many SMS tools use,
 * into Mustache's {@code {{item_name}}}. Applied when a template is saved, so stored templates are pure Mustache.
 *
 * <p>Only a bracketed <em>declared variable name</em> is converted. Every other bracket is left alone, so
 * {@code [Herald] Your code is [code]} becomes {@code [Herald] Your code is {{code}}} when only {@code code}
 * is declared, and {@code [1]}, {@code [see below]} or {@code a[i]} stay as written. Conversion is idempotent.
 */
public final class LegacyPlaceholders {

    private static final Pattern BRACKETED = Pattern.compile("\\[(" + VariableSpec.IDENTIFIER.pattern() + ")]");

    private LegacyPlaceholders() {
    }

    /** The source with each {@code [name]} of a declared name replaced by {@code {{name}}}. */
    public static String convert(String source, Set<String> declared) {
        if (source == null || source.indexOf('[') < 0) return source;
        Matcher m = BRACKETED.matcher(source);
        StringBuilder out = new StringBuilder(source.length() + 8);
        while (m.find()) {
            String name = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(declared.contains(name) ? "{{" + name + "}}" : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
