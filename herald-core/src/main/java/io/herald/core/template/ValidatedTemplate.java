package io.herald.core.template;

import java.util.List;

/**
 * A definition that passed {@link TemplateCompiler#validate}: store {@code definition} (normalised: legacy
 * placeholders converted, locale tags canonical), and show {@code warnings} to the operator.
 */
public record ValidatedTemplate(TemplateDefinition definition, List<TemplateProblem> warnings) {
    public ValidatedTemplate {
        warnings = List.copyOf(warnings);
    }
}
