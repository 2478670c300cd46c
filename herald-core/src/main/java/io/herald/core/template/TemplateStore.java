package io.herald.core.template;

import java.util.Optional;

/**
 * Read side of the template store as rendering needs it. Implementations (PostgreSQL) must be thread-safe;
 * they may cache, since a version never changes once written (only its state does).
 */
public interface TemplateStore {

    /** The version of {@code key} in state PUBLISHED, or empty when the key is unknown or nothing is published. */
    Optional<TemplateVersion> published(String key);

    /** That exact version in any state, or empty when the key or version does not exist. */
    Optional<TemplateVersion> version(String key, int version);
}
