package io.herald.core.template;

/**
 * One thing wrong (or worth a warning) in a template definition.
 *
 * @param field   path into the API body, such as {@code content.ko-KR.EMAIL.html} or {@code variables[2].name}
 * @param message what is wrong, for a person
 */
public record TemplateProblem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
