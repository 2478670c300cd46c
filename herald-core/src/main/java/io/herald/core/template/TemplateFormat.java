package io.herald.core.template;

import java.util.List;

/** The JSON shape of a template definition, as the API takes it and shows it (JSON as text: the core has no JSON library). */
public interface TemplateFormat {

    /**
     * Reads a definition from JSON of unknown quality, adding every shape problem to {@code problems}; what it returns
     * is only meaningful when none was added.
     *
     * @param keyIfAbsent the key to use when the JSON has none, or null
     */
    TemplateDefinition parse(String json, String keyIfAbsent, List<TemplateProblem> problems);

    /** The definition as a JSON object, in the same shape {@link #parse} reads. */
    String write(TemplateDefinition definition);
}
