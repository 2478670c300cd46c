package io.herald.core.template;

import java.time.Instant;
import java.util.Objects;

/**
 * One immutable version of a template. Editing a template makes a new version, so {@code (key, version)}
 * always names the same content, which is what makes {@link CompiledTemplateCache} safe.
 */
public record TemplateVersion(String key, int version, TemplateDefinition definition, TemplateState state,
                              String createdBy, Instant createdAt) {
    public TemplateVersion {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(state, "state");
        if (version < 1) throw new IllegalArgumentException("version starts at 1, was " + version);
        if (!key.equals(definition.key())) {
            throw new IllegalArgumentException("version key " + key + " differs from definition key " + definition.key());
        }
    }
}
