package io.herald.core.template;

import io.herald.core.model.Channel;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an operator saves as one version of a template (the body of {@code POST /v1/templates}).
 * This record only holds the data; {@link TemplateCompiler#validate} says whether it is usable.
 *
 * @param key             stable name apps send with ({@code order_ready})
 * @param name            a human title
 * @param defaultChannels channels a send goes to when it names none
 * @param variables       declared variables; content may reference only these
 * @param content         locale tag ({@code ko-KR}, {@code ko}) or {@link #DEFAULT_LOCALE} to the content per channel
 */
public record TemplateDefinition(String key, String name, Set<Channel> defaultChannels, List<VariableSpec> variables,
                                 Map<String, Map<Channel, ChannelTemplate>> content) {

    /** The content every template must have: the end of every locale fallback chain. */
    public static final String DEFAULT_LOCALE = "default";

    public TemplateDefinition {
        Objects.requireNonNull(key, "key");
        defaultChannels = defaultChannels == null || defaultChannels.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(defaultChannels));
        variables = variables == null ? List.of() : List.copyOf(variables);
        Map<String, Map<Channel, ChannelTemplate>> copy = new LinkedHashMap<>();
        if (content != null) {
            content.forEach((locale, perChannel) -> copy.put(locale,
                    perChannel == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(perChannel))));
        }
        content = Collections.unmodifiableMap(copy);
    }

    /** The declared variable of that name, or null. */
    public VariableSpec variable(String name) {
        for (VariableSpec v : variables) {
            if (v.name().equals(name)) return v;
        }
        return null;
    }
}
