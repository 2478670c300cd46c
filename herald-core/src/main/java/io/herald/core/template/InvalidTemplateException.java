package io.herald.core.template;

import java.util.List;

/**
 * A template definition cannot be saved. Carries every problem found, each with its field path, so the API can
 * answer 422 with {@code errors: [{field, message}]} in one go.
 */
public class InvalidTemplateException extends IllegalArgumentException {

    private final List<TemplateProblem> problems;

    public InvalidTemplateException(List<TemplateProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<TemplateProblem> problems() {
        return problems;
    }

    private static String summary(List<TemplateProblem> problems) {
        if (problems.isEmpty()) throw new IllegalArgumentException("an invalid template has at least one problem");
        return problems.size() == 1
                ? "invalid template: " + problems.getFirst()
                : "invalid template (" + problems.size() + " problems): " + String.join("; ",
                        problems.stream().map(TemplateProblem::toString).toList());
    }
}
