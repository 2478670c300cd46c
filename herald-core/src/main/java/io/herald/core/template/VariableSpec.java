package io.herald.core.template;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A variable a template declares: data for a send is checked against these before rendering.
 *
 * @param name     an identifier ({@code item_name}); letters, digits and underscores, not starting with a digit
 * @param type     what value it takes
 * @param required true when a send without it is refused (INVALID_DATA); an optional one renders as empty text
 */
public record VariableSpec(String name, VariableType type, boolean required) {

    /** The names a variable may have; also what the legacy {@code [name]} form converts. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public VariableSpec {
        Objects.requireNonNull(name, "name");
        type = type == null ? VariableType.STRING : type;
    }

    public static VariableSpec required(String name, VariableType type) {
        return new VariableSpec(name, type, true);
    }

    public static VariableSpec optional(String name, VariableType type) {
        return new VariableSpec(name, type, false);
    }
}
