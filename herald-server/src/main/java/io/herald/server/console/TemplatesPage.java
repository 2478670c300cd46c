package io.herald.server.console;

import io.herald.core.admin.AuditTrail;
import io.herald.core.intake.InvalidSendException;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.template.TemplateCatalog;
import io.herald.core.template.TemplateException;
import io.herald.core.template.TemplateProblem;
import io.herald.server.admin.TemplateEditing;
import io.herald.server.http.ApiProblem;
import io.herald.server.observability.PipelineMetrics;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;
import tools.jackson.core.type.TypeReference;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Templates: list and search, edit with a live preview, versions with diffs, publish and roll back, test sends.
 * Saving and publishing go through TemplateEditing, as the API's do, so role checks, validation and audit entries
 * have one implementation.
 */
@Controller
class TemplatesPage {

    private final TemplateCatalog store;
    private final TemplateEditing editing;
    private final TemplatePreview preview;
    private final ConsoleApps apps;
    private final SendService sends;
    private final PipelineMetrics metrics;
    private final AuditTrail audit;
    private final Clock clock;

    TemplatesPage(TemplateCatalog store, TemplateEditing editing, TemplatePreview preview, ConsoleApps apps, SendService sends,
                  PipelineMetrics metrics, AuditTrail audit, Clock clock) {
        this.store = store;
        this.editing = editing;
        this.preview = preview;
        this.apps = apps;
        this.sends = sends;
        this.metrics = metrics;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/console/templates")
    String list(@RequestParam(required = false) String q, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        String needle = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        List<TemplateCatalog.TemplateSummary> all = new ArrayList<>();
        String after = null;
        while (true) { // every template, page by page; the console filters by key and name
            var page = store.list(after, 500);
            all.addAll(page);
            if (page.size() < 500) break;
            after = page.getLast().key();
        }
        model.addAttribute("templates", all.stream().filter(t -> needle.isEmpty() || t.key().toLowerCase(Locale.ROOT).contains(needle)
                || (t.name() != null && t.name().toLowerCase(Locale.ROOT).contains(needle))).toList());
        model.addAttribute("q", q);
        model.addAttribute("total", all.size());
        return "console/templates";
    }

    @GetMapping("/console/templates/new")
    String newForm(HttpServletRequest req, Model model) {
        Callers.operator(req, Role.EDITOR);
        return form(model, TemplateForm.blank(), true, List.of());
    }

    @PostMapping("/console/templates")
    String create(HttpServletRequest req, HttpServletResponse res, Model model) {
        TemplateForm form = TemplateForm.of(req.getParameterMap());
        List<TemplateProblem> problems = new ArrayList<>();
        var json = form.toJson(problems);
        if (!problems.isEmpty())
            return invalid(res, model, form, true, problems.stream().map(p -> new ApiProblem.FieldError(p.field(), p.message())).toList());
        try {
            editing.create(Callers.operator(req, Role.VIEWER), json);
        } catch (ApiProblem p) {
            if (p.status() == 403) throw p;
            return invalid(res, model, form, true,
                    p.errors().isEmpty() ? List.of(new ApiProblem.FieldError("key", p.getMessage())) : p.errors());
        }
        return "redirect:/console/templates/" + path(form.key()) + "?done=saved";
    }

    @GetMapping("/console/templates/{key}")
    String detail(@PathVariable String key, @RequestParam(required = false) String done, @RequestParam(required = false) Integer a,
                  @RequestParam(required = false) Integer b, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        var t = store.get(key).orElseThrow(() -> ApiProblem.notFound("template " + key));
        var versions = store.versions(key).reversed();
        model.addAttribute("t", t);
        model.addAttribute("versions", versions);
        model.addAttribute("done", done);
        model.addAttribute("apps", apps.all());
        model.addAttribute("app", apps.chosen(null).orElse(null));
        int newest = t.latest().number();
        int from = a != null ? a : Math.max(1, newest - 1), to = b != null ? b : newest;
        model.addAttribute("a", from);
        model.addAttribute("b", to);
        var va = store.versionInfo(key, from).orElseThrow(() -> ApiProblem.invalid("a", "template " + key + " has no version " + from));
        var vb = store.versionInfo(key, to).orElseThrow(() -> ApiProblem.invalid("b", "template " + key + " has no version " + to));
        model.addAttribute("diff", TemplateVersionDiff.between(va.version().definition(), vb.version().definition()));
        var form = TemplateForm.of(t.latest().version().definition(), "{}");
        model.addAttribute("sample", sampleData(t.latest().version().definition()));
        model.addAttribute("preview", preview.preview(new TemplateForm(form.key(), form.name(), form.channels(), form.variables(),
                form.locales(), sampleData(t.latest().version().definition())), null));
        return "console/template";
    }

    @GetMapping("/console/templates/{key}/edit")
    String editForm(@PathVariable String key, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.EDITOR);
        var t = store.get(key).orElseThrow(() -> ApiProblem.notFound("template " + key));
        var d = t.latest().version().definition();
        return form(model, TemplateForm.of(d, sampleData(d)), false, List.of());
    }

    @PostMapping("/console/templates/{key}")
    String save(@PathVariable String key, HttpServletRequest req, HttpServletResponse res, Model model) {
        TemplateForm form = TemplateForm.of(req.getParameterMap());
        List<TemplateProblem> problems = new ArrayList<>();
        var json = form.toJson(problems);
        json.put("key", key);
        if (!problems.isEmpty())
            return invalid(res, model, form, false, problems.stream().map(p -> new ApiProblem.FieldError(p.field(), p.message())).toList());
        TemplateEditing.Saved saved;
        try {
            saved = editing.update(Callers.operator(req, Role.VIEWER), key, json);
        } catch (ApiProblem p) {
            if (p.status() == 403 || p.status() == 404) throw p;
            return invalid(res, model, form, false,
                    p.errors().isEmpty() ? List.of(new ApiProblem.FieldError("template", p.getMessage())) : p.errors());
        }
        return "redirect:/console/templates/" + path(key) + "?done=" + (Boolean.TRUE.equals(saved.created()) ? "saved" : "unchanged");
    }

    /** The live preview of the editor (htmx): the form as it is now, rendered with its sample data. */
    @PostMapping("/console/templates/preview")
    String livePreview(@RequestParam(required = false) String previewLocale, HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        model.addAttribute("preview", preview.preview(TemplateForm.of(req.getParameterMap()), previewLocale));
        return "console/template-preview :: preview";
    }

    @PostMapping("/console/templates/{key}/versions/{version}/publish")
    String publish(@PathVariable String key, @PathVariable int version, HttpServletRequest req) {
        var r = editing.publish(Callers.operator(req, Role.VIEWER), key, version);
        return "redirect:/console/templates/" + path(key) + "?done=" + (r.changed() ? "published-" + version : "unchanged");
    }

    @PostMapping("/console/templates/{key}/test-send")
    String testSend(@PathVariable String key, @RequestParam String app, @RequestParam String userId,
                    @RequestParam(required = false) Integer version, @RequestParam(defaultValue = "{}") String data,
                    HttpServletRequest req, Model model) {
        var op = Callers.operator(req, Role.EDITOR);
        var a = apps.require(app);
        Map<String, Object> values;
        try {
            values = ConsoleJson.MAPPER.readValue(data, new TypeReference<Map<String, Object>>() {
            });
        } catch (RuntimeException e) {
            throw ApiProblem.invalid("data", "is not a JSON object");
        }
        if (userId.isBlank()) throw ApiProblem.invalid("userId", "is required");
        String eventId = "console-test-" + UUID.randomUUID();
        var request = new SendRequest(eventId, userId.strip(), null, null, key, version, values, null, null, null, null, null, null);
        try {
            var stored = sends.send(a.id(), request);
            metrics.accepted(stored);
            audit.record(clock.instant(), op.username(), "TEST_SEND", "template", key,
                    ConsoleJson.MAPPER.writeValueAsString(Map.of("app", app, "userId", userId.strip(), "eventId", eventId,
                            "version", version == null ? "published" : version)));
        } catch (InvalidSendException e) {
            throw ApiProblem.invalid(e.field(), e.getMessage());
        } catch (TemplateException e) {
            throw ApiProblem.invalid("template", e.getMessage());
        }
        return "redirect:/console/notifications?app=" + UriUtils.encodeQueryParam(app, StandardCharsets.UTF_8)
                + "&eventId=" + UriUtils.encodeQueryParam(eventId, StandardCharsets.UTF_8);
    }

    private String form(Model model, TemplateForm form, boolean creating, List<ApiProblem.FieldError> errors) {
        model.addAttribute("form", form);
        model.addAttribute("creating", creating);
        // the layout's title is computed here: Thymeleaf refuses a fragment argument that reads like "new ..."
        model.addAttribute("pageTitle", creating ? "New template" : "Edit " + form.key());
        model.addAttribute("fields", TemplateForm.FIELDS);
        model.addAttribute("channelNames", TemplateForm.channelNames());
        model.addAttribute("errors", errors);
        Map<String, String> byField = new LinkedHashMap<>();
        errors.forEach(e -> byField.merge(e.field(), e.message(), (x, y) -> x + "; " + y));
        model.addAttribute("fieldErrors", byField);
        model.addAttribute("preview", preview.preview(form, null));
        return "console/template-form";
    }

    private String invalid(HttpServletResponse res, Model model, TemplateForm form, boolean creating, List<ApiProblem.FieldError> errors) {
        res.setStatus(422);
        return form(model, form, creating, errors);
    }

    /** Sample data: each declared variable with a value of its type, so the preview shows something at once. */
    private static String sampleData(io.herald.core.template.TemplateDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        d.variables().forEach(v -> m.put(v.name(), switch (v.type()) {
            case NUMBER -> 42;
            case BOOLEAN -> true;
            case DATE -> "2026-12-01";
            case URL -> "https://example.com/" + v.name();
            case OBJECT -> Map.of();
            default -> "sample " + v.name();
        }));
        return ConsoleJson.MAPPER.writeValueAsString(m);
    }

    private static String path(String s) {
        return UriUtils.encodePathSegment(s, StandardCharsets.UTF_8);
    }
}
