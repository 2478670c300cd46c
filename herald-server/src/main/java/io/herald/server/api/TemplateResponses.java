package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.herald.core.model.Channel;
import io.herald.core.template.TemplateCatalog.TemplateDetail;
import io.herald.core.template.TemplateCatalog.TemplateSummary;
import io.herald.core.template.TemplateCatalog.VersionInfo;
import io.herald.core.template.TemplateState;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON answers of /v1/templates. Unknown values are shown as null, as before. */
public final class TemplateResponses {

    private TemplateResponses() {
    }

    record Summary(@Schema(example = "order_ready") String key, @Schema(example = "Order ready") String name,
                   Integer publishedVersion, int latestVersion, String createdBy, Instant createdAt, Instant updatedAt) {
        static Summary of(TemplateSummary t) {
            return new Summary(t.key(), t.name(), t.publishedVersion(), t.latestVersion(), t.createdBy(), t.createdAt(), t.updatedAt());
        }
    }

    record Page(List<Summary> items, @Schema(description = "null on the last page", nullable = true) String nextCursor) {
    }

    record VersionMeta(int version, TemplateState state, String createdBy, Instant createdAt,
                       @Schema(nullable = true) Instant publishedAt) {
        static VersionMeta of(VersionInfo v) {
            return new VersionMeta(v.number(), v.state(), v.version().createdBy(), v.version().createdAt(), v.publishedAt());
        }
    }

    record Versions(List<VersionMeta> items) {
    }

    /** A version's metadata and its definition in the request body's shape, so it can be edited and PUT back. */
    record Version(int version, TemplateState state, String createdBy, Instant createdAt, @Schema(nullable = true) Instant publishedAt,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String key,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String name,
                   @JsonInclude(JsonInclude.Include.NON_NULL) List<Channel> defaultChannels,
                   @JsonInclude(JsonInclude.Include.NON_NULL) List<TemplateBodies.Variable> variables,
                   @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "locale to content per channel") Map<String, TemplateBodies.LocaleContent> content) {
    }

    record Template(String key, String name, Integer publishedVersion, int latestVersion, String createdBy, Instant createdAt,
                    Instant updatedAt, @Schema(nullable = true) Version published, Version latest) {
    }

    record Warning(String field, String message) {
    }

    /** After POST (no created) or PUT (created: false when the same content was saved again). */
    public record Saved(@JsonUnwrapped Template template, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean created,
                        List<Warning> warnings) {
    }

    public record Published(@JsonUnwrapped Template template, @Schema(nullable = true) Integer previousVersion, boolean changed) {
    }

    record Rendered(String key, int version, TemplateState state, String locale, List<Channel> defaultChannels,
                    @Schema(description = "channel to its rendered fields", example = "{\"PUSH\": {\"title\": \"Ready\", \"body\": \"Your Latte is ready\"}}") Map<String, Map<String, String>> content) {
    }

    static Template template(TemplateDetail d, java.util.function.Function<VersionInfo, Version> version) {
        TemplateSummary s = d.summary();
        return new Template(s.key(), s.name(), s.publishedVersion(), s.latestVersion(), s.createdBy(), s.createdAt(), s.updatedAt(),
                d.published() == null ? null : version.apply(d.published()), version.apply(d.latest()));
    }
}
