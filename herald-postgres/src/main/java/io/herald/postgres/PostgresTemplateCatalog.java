package io.herald.postgres;

import io.herald.core.template.TemplateCatalog;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateFormat;
import io.herald.core.template.TemplateProblem;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The core's {@link TemplateCatalog} and {@link TemplateFormat} over {@link PostgresTemplateStore} and
 * {@link TemplateJson}, so the API layer needs neither.
 */
public final class PostgresTemplateCatalog implements TemplateCatalog, TemplateFormat {

    private final PostgresTemplateStore store;

    public PostgresTemplateCatalog(PostgresTemplateStore store) {
        this.store = store;
    }

    @Override
    public Optional<VersionInfo> create(TemplateDefinition definition, String actor, Instant now) {
        return store.create(definition, actor, now).map(PostgresTemplateCatalog::version);
    }

    @Override
    public Optional<VersionInfo> newDraft(String key, TemplateDefinition definition, String actor, Instant now) {
        return store.newDraft(key, definition, actor, now).map(PostgresTemplateCatalog::version);
    }

    @Override
    public Optional<Publication> publish(String key, int version, String actor, Instant now) {
        return store.publish(key, version, actor, now).map(p -> new Publication(version(p.published()), p.previous(), p.changed()));
    }

    @Override
    public List<TemplateSummary> list(String afterKey, int limit) {
        return store.list(afterKey, limit).stream().map(PostgresTemplateCatalog::summary).toList();
    }

    @Override
    public List<VersionInfo> versions(String key) {
        return store.versions(key).stream().map(PostgresTemplateCatalog::version).toList();
    }

    @Override
    public Optional<TemplateDetail> get(String key) {
        return store.get(key).map(d -> new TemplateDetail(summary(d.summary()), d.published() == null ? null : version(d.published()),
                version(d.latest())));
    }

    @Override
    public Optional<VersionInfo> versionInfo(String key, int version) {
        return store.versionInfo(key, version).map(PostgresTemplateCatalog::version);
    }

    @Override
    public TemplateDefinition parse(String json, String keyIfAbsent, List<TemplateProblem> problems) {
        return TemplateJson.parse(JsonCodec.MAPPER.readTree(json == null ? "null" : json), keyIfAbsent, problems);
    }

    @Override
    public String write(TemplateDefinition definition) {
        return TemplateJson.write(definition);
    }

    private static VersionInfo version(PostgresTemplateStore.VersionInfo v) {
        return new VersionInfo(v.version(), v.publishedAt());
    }

    private static TemplateSummary summary(PostgresTemplateStore.TemplateSummary s) {
        return new TemplateSummary(s.key(), s.name(), s.publishedVersion(), s.latestVersion(), s.createdBy(), s.createdAt(), s.updatedAt());
    }
}
