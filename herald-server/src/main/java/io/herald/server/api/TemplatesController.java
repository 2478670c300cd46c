package io.herald.server.api;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.template.RenderedMessage;
import io.herald.core.template.TemplateCatalog;
import io.herald.core.template.TemplateCatalog.TemplateDetail;
import io.herald.core.template.TemplateCatalog.TemplateSummary;
import io.herald.core.template.TemplateCatalog.VersionInfo;
import io.herald.core.template.TemplateException;
import io.herald.core.template.TemplateFormat;
import io.herald.core.template.TemplateProblem;
import io.herald.core.template.TemplateRenderer;
import io.herald.server.admin.TemplateEditing;
import io.herald.server.api.TemplateResponses.Page;
import io.herald.server.api.TemplateResponses.Published;
import io.herald.server.api.TemplateResponses.Rendered;
import io.herald.server.api.TemplateResponses.Saved;
import io.herald.server.api.TemplateResponses.Template;
import io.herald.server.api.TemplateResponses.Version;
import io.herald.server.api.TemplateResponses.VersionMeta;
import io.herald.server.api.TemplateResponses.Versions;
import io.herald.server.api.TemplateResponses.Warning;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.http.StrictJson;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Template management (VIEWER reads and previews, EDITOR saves drafts, PUBLISHER publishes and rolls back).
 * Every save makes a new immutable version; changes go through {@link TemplateEditing}, as the console's do.
 */
@RestController
@RequestMapping("/v1/templates")
public class TemplatesController {

    private final TemplateCatalog store;
    private final TemplateEditing editing;
    private final TemplateFormat format;
    private final TemplateRenderer renderer;
    private final JsonMapper json;

    public TemplatesController(TemplateCatalog store, TemplateEditing editing, TemplateFormat format, TemplateRenderer renderer,
                               JsonMapper json) {
        this.store = store;
        this.editing = editing;
        this.format = format;
        this.json = json;
        this.renderer = renderer;
    }

    /** Body of the render preview. */
    public record RenderBody(Map<String, Object> data, String locale, Integer version) {
    }

    @PostMapping
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "created as version 1, a draft")
    @ProblemResponses({400, 401, 403, 409, 413, 415, 422, 503})
    public ResponseEntity<Saved> create(
                                        @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TemplateBodies.Template.class))) @RequestBody(required = false) JsonNode body,
                                        HttpServletRequest req) {
        var saved = editing.create(Callers.operator(req, Role.EDITOR), body);
        String key = saved.template().summary().key();
        return ResponseEntity.created(URI.create("/v1/templates/" + UriUtils.encodePathSegment(key, StandardCharsets.UTF_8)))
                .body(new Saved(detail(saved.template()), null, warnings(saved.warnings())));
    }

    @GetMapping
    @ProblemResponses({400, 401, 403, 503})
    public Page list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
                     HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        Checks c = new Checks();
        int lim = limit == null ? 50 : limit;
        if (lim < 1 || lim > 500) c.add("limit", "must be between 1 and 500");
        String after = null;
        if (cursor != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (StrictJson.problemWith(after, FieldLimits.TEMPLATE_KEY) != null) throw new IllegalArgumentException("not a key");
            } catch (IllegalArgumentException e) {
                c.add("cursor", "is not a cursor this API gave out");
            }
        }
        c.throwAsBadParameters();
        List<TemplateSummary> rows = store.list(after, lim + 1);
        boolean more = rows.size() > lim;
        List<TemplateSummary> shown = more ? rows.subList(0, lim) : rows;
        return new Page(shown.stream().map(TemplateResponses.Summary::of).toList(), more
                ? Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(shown.getLast().key().getBytes(StandardCharsets.UTF_8))
                : null);
    }

    @GetMapping("/{key}")
    @ProblemResponses({401, 403, 404, 503})
    public Template get(@PathVariable String key, HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        return detail(store.get(key).orElseThrow(() -> ApiProblem.notFound("template " + key)));
    }

    @PutMapping("/{key}")
    @ProblemResponses({400, 401, 403, 404, 413, 415, 422, 503})
    public Saved update(@PathVariable String key,
                        @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TemplateBodies.Template.class))) @RequestBody(required = false) JsonNode body,
                        HttpServletRequest req) {
        var saved = editing.update(Callers.operator(req, Role.EDITOR), key, body);
        return new Saved(detail(saved.template()), saved.created(), warnings(saved.warnings()));
    }

    @GetMapping("/{key}/versions")
    @ProblemResponses({401, 403, 404, 503})
    public Versions versions(@PathVariable String key, HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        List<VersionInfo> all = store.versions(key);
        if (all.isEmpty()) throw ApiProblem.notFound("template " + key);
        return new Versions(all.reversed().stream().map(VersionMeta::of).toList());
    }

    @GetMapping("/{key}/versions/{version}")
    @ProblemResponses({400, 401, 403, 404, 503})
    public Version version(@PathVariable String key, @PathVariable int version, HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        return versionView(editing.existingVersion(key, version));
    }

    @PostMapping("/{key}/versions/{version}/publish")
    @ProblemResponses({400, 401, 403, 404, 409, 503})
    public Published publish(@PathVariable String key, @PathVariable int version, HttpServletRequest req) {
        var p = editing.publish(Callers.operator(req, Role.PUBLISHER), key, version);
        return new Published(detail(p.template()), p.previous(), p.changed());
    }

    @PostMapping("/{key}/render")
    @ProblemResponses({400, 401, 403, 404, 413, 415, 422, 503})
    public Rendered render(@PathVariable String key, @RequestBody(required = false) RenderBody body, HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        RenderBody b = body == null ? new RenderBody(null, null, null) : body;
        Checks c = new Checks();
        String locale = c.locale("locale", b.locale());
        c.throwIfAny();
        TemplateDetail t = store.get(key).orElseThrow(() -> ApiProblem.notFound("template " + key));
        // no version: what sends use (the published one), or the latest draft of a never-published template
        int number = b.version() != null ? b.version() : t.published() != null ? t.published().number() : t.latest().number();
        VersionInfo v = store.versionInfo(key, number)
                .orElseThrow(() -> ApiProblem.invalid("version", "template " + key + " has no version " + number
                        + " (latest is " + t.latest().number() + ")"));
        RenderedMessage r;
        try {
            r = renderer.render(key, number, locale, b.data() == null ? Map.of() : b.data());
        } catch (TemplateException e) {
            throw ApiProblem.invalid(switch (e.kind()) {
                case INVALID_DATA -> "data";
                case NOT_FOUND -> "version";
                case RENDER_FAILED -> "template";
            }, e.getMessage());
        }
        Map<String, Map<String, String>> content = new LinkedHashMap<>();
        r.content().forEach((channel, rendered) -> content.put(channel.name(), fields(channel, rendered)));
        return new Rendered(key, r.version(), v.state(), r.locale(), sorted(r.defaultChannels()), content);
    }

    // ---------------------------------------------------------------- helpers

    private static List<Warning> warnings(List<TemplateProblem> problems) {
        return problems.stream().map(p -> new Warning(p.field(), p.message())).toList();
    }

    private Template detail(TemplateDetail d) {
        return TemplateResponses.template(d, this::versionView);
    }

    /** The version's metadata and its definition in the same shape as the request body, so it can be edited and PUT back. */
    private Version versionView(VersionInfo v) {
        JsonNode d = json.readTree(format.write(v.version().definition()));
        return new Version(v.number(), v.state(), v.version().createdBy(), v.version().createdAt(), v.publishedAt(),
                d.has("key") ? d.get("key").asString() : null, d.has("name") && !d.get("name").isNull() ? d.get("name").asString() : null,
                sorted(v.version().definition().defaultChannels()),
                d.has("variables") ? List.of(json.treeToValue(d.get("variables"), TemplateBodies.Variable[].class)) : null,
                d.has("content") ? localeContent(d.get("content")) : null);
    }

    private Map<String, TemplateBodies.LocaleContent> localeContent(JsonNode content) {
        Map<String, TemplateBodies.LocaleContent> out = new LinkedHashMap<>();
        content.properties().forEach(e -> out.put(e.getKey(), json.treeToValue(e.getValue(), TemplateBodies.LocaleContent.class)));
        return out;
    }

    private static Map<String, String> fields(Channel channel, Content c) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (channel) {
            case PUSH -> {
                putIf(m, "title", c.title());
                putIf(m, "body", c.body());
                putIf(m, "url", c.url());
            }
            case SMS -> putIf(m, "text", c.smsText());
            case EMAIL -> {
                putIf(m, "subject", c.subject());
                putIf(m, "html", c.html());
                putIf(m, "text", c.text());
            }
        }
        return m;
    }

    private static void putIf(Map<String, String> m, String k, String v) {
        if (v != null) m.put(k, v);
    }

    private static List<Channel> sorted(java.util.Set<Channel> channels) {
        return channels.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(channels));
    }
}
