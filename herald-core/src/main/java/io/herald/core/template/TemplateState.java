package io.herald.core.template;

/** Lifecycle of one template version. At most one version of a key is PUBLISHED; publishing another archives it. */
public enum TemplateState {
    /** Saved, renderable by explicit version (previews), not used by sends that name no version. */
    DRAFT,
    /** What sends without a version use. */
    PUBLISHED,
    /** Was published once; still renderable by explicit version and can be published again (rollback). */
    ARCHIVED
}
