package io.herald.core.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks a send's data against a template's declared variables before anything renders. */
final class TemplateData {

    private TemplateData() {
    }

    /**
     * @throws TemplateException INVALID_DATA naming every missing required variable and every mistyped value
     */
    static void check(String templateKey, List<VariableSpec> variables, Map<String, Object> data) {
        List<String> problems = new ArrayList<>();
        for (VariableSpec v : variables) {
            Object value = data.get(v.name());
            if (value == null || value instanceof CharSequence s && s.toString().isBlank()) {
                if (v.required()) problems.add("missing required variable '" + v.name() + "' (" + v.type().expectation() + ")");
            } else if (!v.type().accepts(value)) {
                problems.add("variable '" + v.name() + "' must be " + v.type().expectation() + ", got " + describe(value));
            }
        }
        if (!problems.isEmpty()) {
            throw new TemplateException(TemplateException.Kind.INVALID_DATA,
                    "data does not fit template " + templateKey + ": " + String.join("; ", problems));
        }
    }

    private static String describe(Object value) {
        String kind = switch (value) {
            case CharSequence s -> "text";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            case Map<?, ?> m -> "an object";
            case Iterable<?> i -> "an array";
            default -> value.getClass().getSimpleName();
        };
        String shown = String.valueOf(value);
        if (shown.length() > 40) shown = shown.substring(0, 40) + "…";
        return kind + (value instanceof CharSequence ? " \"" + shown + "\"" : " " + shown);
    }
}
