package io.herald.core.template;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Templates as operators manage them: versions, drafts and publication (sends read them through {@link TemplateStore}). */
public interface TemplateCatalog {

    /** A template and its version numbers. */
    record TemplateSummary(String key, String name, Integer publishedVersion, int latestVersion, String createdBy,
                           Instant createdAt, Instant updatedAt) {
    }

    /** A version with when it was last published (null when never). */
    record VersionInfo(TemplateVersion version, Instant publishedAt) {
        public int number() {
            return version.version();
        }

        public TemplateState state() {
            return version.state();
        }
    }

    /** The template, its published version (or null) and its latest. */
    record TemplateDetail(TemplateSummary summary, VersionInfo published, VersionInfo latest) {
    }

    /**
     * The outcome of a publish.
     *
     * @param previous the version that was published before, or null
     * @param changed  false when the version was already the published one (nothing was written)
     */
    record Publication(VersionInfo published, Integer previous, boolean changed) {
    }

    /** Version 1 as a draft. @return empty when the key exists already */
    Optional<VersionInfo> create(TemplateDefinition definition, String actor, Instant now);

    /** A new draft version. @return empty when there is no such template */
    Optional<VersionInfo> newDraft(String key, TemplateDefinition definition, String actor, Instant now);

    /** Publishes (or rolls back to) a version. @return empty when there is no such version */
    Optional<Publication> publish(String key, int version, String actor, Instant now);

    /** Templates ordered by key, starting after {@code afterKey} (null for the first page). */
    List<TemplateSummary> list(String afterKey, int limit);

    /** Every version of {@code key}, oldest first; empty when the template does not exist. */
    List<VersionInfo> versions(String key);

    Optional<TemplateDetail> get(String key);

    /** That version with its publication time, straight from storage. */
    Optional<VersionInfo> versionInfo(String key, int version);
}
