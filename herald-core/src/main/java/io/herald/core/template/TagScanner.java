package io.herald.core.template;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the variables one template field references, and those it may not. jmustache's own visitor reports no
 * section ends, so it cannot tell {@code {{name}}} inside {@code {{#items}}} (a field of each item) from one at the
 * top (a declared variable); this scanner tracks nesting itself. Runs only on sources jmustache already parsed.
 */
final class TagScanner {

    private static final Set<String> CONTEXT_NAMES = Set.of(".", "this", "-first", "-last", "-index");

    private TagScanner() {
    }

    /**
     * @param declared variables of the template
     * @param used     receives each declared variable the source references
     * @param problems receives a message per unknown variable or unsupported tag
     */
    static void scan(String source, List<VariableSpec> declared, Consumer<String> used, Consumer<String> problems) {
        Deque<Boolean> itemScopes = new ArrayDeque<>(); // per open section: does it iterate an OBJECT (items have fields)?
        int from = 0;
        while (true) {
            int open = source.indexOf("{{", from);
            if (open < 0) return;
            boolean triple = source.startsWith("{{{", open);
            int close = source.indexOf(triple ? "}}}" : "}}", open + 2);
            if (close < 0) return; // jmustache accepted it, so this is text
            String tag = source.substring(open + (triple ? 3 : 2), close).trim();
            from = close + (triple ? 3 : 2);
            if (tag.isEmpty()) continue;
            char sigil = triple ? 0 : tag.charAt(0);
            String name = "#^/&>!=<$".indexOf(sigil) >= 0 ? tag.substring(1).trim() : tag;
            switch (sigil) {
                case '!' -> {
                    /* comment */ }
                case '>' -> problems.accept("partials ({{>" + name + "}}) are not supported: templates are self-contained");
                case '=' -> problems.accept("changing delimiters ({{=...=}}) is not supported");
                case '<', '$' -> problems.accept("template inheritance ({{" + sigil + name + "}}) is not supported");
                case '/' -> {
                    if (!itemScopes.isEmpty()) itemScopes.pop();
                }
                default -> {
                    VariableSpec spec = check(name, declared, itemScopes.contains(Boolean.TRUE), used, problems);
                    if (sigil == '#') itemScopes.push(spec != null && spec.type() == VariableType.OBJECT);
                    else if (sigil == '^') itemScopes.push(Boolean.FALSE);
                }
            }
        }
    }

    private static VariableSpec check(String name, List<VariableSpec> declared, boolean insideItems,
                                      Consumer<String> used, Consumer<String> problems) {
        if (CONTEXT_NAMES.contains(name)) return null;
        String root = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        VariableSpec spec = declared.stream().filter(v -> v.name().equals(root)).findFirst().orElse(null);
        if (spec != null) {
            used.accept(root);
            if (!root.equals(name) && spec.type() != VariableType.OBJECT) {
                problems.accept("'{{" + name + "}}' reads a field of '" + root + "', which is declared "
                        + spec.type() + ", not OBJECT");
            }
        } else if (!insideItems) { // inside an OBJECT section, an unknown name may be a field of each item
            problems.accept("unknown variable '" + root + "': declare it under variables or fix the name"
                    + (declared.isEmpty()
                            ? " (no variables are declared)"
                            : " (declared: " + String.join(", ", declared.stream().map(VariableSpec::name).toList()) + ")"));
        }
        return spec;
    }
}
