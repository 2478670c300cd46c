package io.herald.server.api;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.template.InvalidTemplateException;
import io.herald.core.template.RenderedMessage;
import io.herald.core.template.TemplateCompiler;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateException;
import io.herald.core.template.TemplateProblem;
import io.herald.core.template.TemplateRenderer;
import io.herald.core.template.ValidatedTemplate;
import io.herald.core.admin.AuditTrail;
import io.herald.core.template.TemplateCatalog;
import io.herald.core.template.TemplateCatalog.TemplateDetail;
import io.herald.core.template.TemplateCatalog.TemplateSummary;
import io.herald.core.template.TemplateCatalog.VersionInfo;
import io.herald.core.template.TemplateFormat;
import io.herald.server.api.TemplateResponses.Page;
import io.herald.server.api.TemplateResponses.Published;
import io.herald.server.api.TemplateResponses.Rendered;
import io.herald.server.api.TemplateResponses.Saved;
import io.herald.server.api.TemplateResponses.Template;
import io.herald.server.api.TemplateResponses.Version;
import io.herald.server.api.TemplateResponses.VersionMeta;
import io.herald.server.api.TemplateResponses.Versions;
import io.herald.server.api.TemplateResponses.Warning;
import io.herald.server.security.Role;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.http.StrictJson;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Template management (VIEWER reads and previews, EDITOR saves drafts, PUBLISHER publishes and rolls back).
 * Every save makes a new immutable version; every change is audited in the transaction that makes it.
 */
@RestController
@RequestMapping("/v1/templates")
public class TemplatesController {

    private final TemplateCatalog store;
    private final TemplateFormat format;
    private final TemplateCompiler compiler;
    private final TemplateRenderer renderer;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JsonMapper json;

    public TemplatesController(TemplateCatalog store, TemplateFormat format, TemplateCompiler compiler, TemplateRenderer renderer,
                               AuditTrail audit, TransactionTemplate tx, Clock clock, JsonMapper json) {
        this.store = store;
        this.format = format;
        this.json = json;
        this.compiler = compiler;
        this.renderer = renderer;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Body of the render preview. */
    public record RenderBody(Map<String, Object> data, String locale, Integer version) {
    }

    @PostMapping
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "created as version 1, a draft")
    @ProblemResponses({400, 401, 403, 409, 413, 415, 422, 503})
    public ResponseEntity<Saved> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TemplateBodies.Template.class)))
            @RequestBody(required = false) JsonNode body, HttpServletRequest req) {
        var op = Callers.operator(req, Role.EDITOR);
        ValidatedTemplate v = validated(body, null);
        TemplateDefinition d = v.definition();
        Instant now = clock.instant();
        Optional<VersionInfo> created = tx.execute(s -> {
            Optional<VersionInfo> c = store.create(d, op.username(), now);
            c.ifPresent(x -> audit.record(now, op.username(), "CREATE", "template", d.key(), TemplateDiff.created(d, 1)));
            return c;
        });
        if (created == null || created.isEmpty()) {
            throw ApiProblem.conflict("template " + d.key() + " exists already; PUT /v1/templates/" + d.key() + " saves a new version");
        }
        Saved saved = new Saved(detail(store.get(d.key()).orElseThrow()), null, warnings(v.warnings()));
        return ResponseEntity.created(URI.create("/v1/templates/" + UriUtils.encodePathSegment(d.key(), StandardCharsets.UTF_8))).body(saved);
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
        return new Page(shown.stream().map(TemplateResponses.Summary::of).toList(), more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(shown.getLast().key().getBytes(StandardCharsets.UTF_8)) : null);
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
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TemplateBodies.Template.class)))
            @RequestBody(required = false) JsonNode body, HttpServletRequest req) {
        var op = Callers.operator(req, Role.EDITOR);
        ValidatedTemplate v = validated(body, key);
        TemplateDefinition d = v.definition();
        if (!d.key().equals(key)) throw ApiProblem.invalid("key", "'" + d.key() + "' differs from the key in the path, " + key);
        Instant now = clock.instant();
        Boolean saved = tx.execute(s -> {
            TemplateDetail current = store.get(key).orElse(null);
            if (current == null) return null;
            // the same content again is not a new version (PUT is idempotent)
            if (current.latest().version().definition().equals(d)) return false;
            VersionInfo created = store.newDraft(key, d, op.username(), now).orElseThrow();
            // the version just before, read under the lock newDraft holds, so concurrent saves each diff their own parent
            VersionInfo parent = store.versionInfo(key, created.number() - 1).orElseThrow();
            audit.record(now, op.username(), "UPDATE", "template", key,
                    TemplateDiff.updated(parent.version().definition(), parent.number(), d, created.number()));
            return true;
        });
        if (saved == null) throw ApiProblem.notFound("template " + key);
        return new Saved(detail(store.get(key).orElseThrow()), saved, warnings(v.warnings()));
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
        return versionView(existingVersion(key, version));
    }

    @PostMapping("/{key}/versions/{version}/publish")
    @ProblemResponses({400, 401, 403, 404, 409, 503})
    public Published publish(@PathVariable String key, @PathVariable int version, HttpServletRequest req) {
        var op = Callers.operator(req, Role.PUBLISHER);
        VersionInfo target = existingVersion(key, version);
        try {
            compiler.compile(target.version()); // saved under older rules, it might no longer render
        } catch (TemplateException e) {
            throw ApiProblem.invalid("version", "cannot publish: " + e.getMessage());
        }
        Instant now = clock.instant();
        TemplateCatalog.Publication p = tx.execute(s -> {
            var done = store.publish(key, version, op.username(), now).orElse(null);
            if (done != null && done.changed()) {
                audit.record(now, op.username(), "PUBLISH", "template", key, TemplateDiff.published(version, done.previous()));
            }
            return done;
        });
        if (p == null) throw ApiProblem.notFound("version " + version + " of template " + key);
        return new Published(detail(store.get(key).orElseThrow()), p.previous(), p.changed());
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

    private ValidatedTemplate validated(JsonNode body, String keyIfAbsent) {
        StrictJson.checkTree(body); // bodies read as trees bypass the checked string deserializer
        List<TemplateProblem> shape = new ArrayList<>();
        TemplateDefinition parsed = format.parse(body == null ? null : json.writeValueAsString(body), keyIfAbsent, shape);
        if (!shape.isEmpty()) throw invalid(shape);
        try {
            return compiler.validate(parsed);
        } catch (InvalidTemplateException e) {
            throw invalid(e.problems());
        }
    }

    private VersionInfo existingVersion(String key, int version) {
        return store.versionInfo(key, version).orElseThrow(() -> store.versions(key).isEmpty()
                ? ApiProblem.notFound("template " + key) : ApiProblem.notFound("version " + version + " of template " + key));
    }

    private static ApiProblem invalid(List<TemplateProblem> problems) {
        return ApiProblem.invalid(problems.stream().map(p -> new ApiProblem.FieldError(p.field(), p.message())).toList());
    }

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
