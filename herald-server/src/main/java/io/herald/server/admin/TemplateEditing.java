package io.herald.server.admin;

import io.herald.core.admin.AuditTrail;
import io.herald.core.template.InvalidTemplateException;
import io.herald.core.template.TemplateCatalog;
import io.herald.core.template.TemplateCatalog.TemplateDetail;
import io.herald.core.template.TemplateCatalog.VersionInfo;
import io.herald.core.template.TemplateCompiler;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateException;
import io.herald.core.template.TemplateFormat;
import io.herald.core.template.TemplateProblem;
import io.herald.core.template.ValidatedTemplate;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.StrictJson;
import io.herald.server.security.Callers;
import io.herald.server.security.OperatorPrincipal;
import io.herald.server.security.Role;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Saving and publishing templates, for the template API and the console alike (EDITOR saves drafts, PUBLISHER
 * publishes): the role check, validation and the audit entry, written in the transaction of the change, live here once.
 */
@Service
public class TemplateEditing {

    /** A save: the template as it now is, whether a new version was made (null on create), and the compiler's warnings. */
    public record Saved(TemplateDetail template, Boolean created, List<TemplateProblem> warnings) {
    }

    /** A publication: the template as it now is, the version published before, and whether anything changed. */
    public record Published(TemplateDetail template, Integer previous, boolean changed) {
    }

    private final TemplateCatalog store;
    private final TemplateFormat format;
    private final TemplateCompiler compiler;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JsonMapper json;

    public TemplateEditing(TemplateCatalog store, TemplateFormat format, TemplateCompiler compiler, AuditTrail audit,
                           TransactionTemplate tx, Clock clock, JsonMapper json) {
        this.store = store;
        this.format = format;
        this.compiler = compiler;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /** Creates a template as version 1, a draft; 409 if the key exists. */
    public Saved create(OperatorPrincipal op, JsonNode body) {
        Callers.require(op, Role.EDITOR);
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
        return new Saved(store.get(d.key()).orElseThrow(), null, v.warnings());
    }

    /** Saves a new draft version of {@code key}; the same content again makes none (idempotent). */
    public Saved update(OperatorPrincipal op, String key, JsonNode body) {
        Callers.require(op, Role.EDITOR);
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
        return new Saved(store.get(key).orElseThrow(), saved, v.warnings());
    }

    /** Publishes (or rolls back to) a version, if it still compiles under today's rules. */
    public Published publish(OperatorPrincipal op, String key, int version) {
        Callers.require(op, Role.PUBLISHER);
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
        return new Published(store.get(key).orElseThrow(), p.previous(), p.changed());
    }

    /** The version, or 404 naming what is missing: the template or only that version. */
    public VersionInfo existingVersion(String key, int version) {
        return store.versionInfo(key, version).orElseThrow(() -> store.versions(key).isEmpty()
                ? ApiProblem.notFound("template " + key)
                : ApiProblem.notFound("version " + version + " of template " + key));
    }

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

    private static ApiProblem invalid(List<TemplateProblem> problems) {
        return ApiProblem.invalid(problems.stream().map(p -> new ApiProblem.FieldError(p.field(), p.message())).toList());
    }
}
