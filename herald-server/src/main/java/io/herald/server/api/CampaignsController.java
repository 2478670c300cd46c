package io.herald.server.api;

import io.herald.core.admin.AppAdmin;
import io.herald.core.admin.AuditTrail;
import io.herald.core.audience.Audience;
import io.herald.core.audience.CampaignService;
import io.herald.core.intake.SendRequest;
import io.herald.core.net.OutboundGuard;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Supplier;

/** Campaigns (operators): EDITOR drafts, PUBLISHER schedules, pauses, resumes and cancels; VIEWER reads progress. */
@RestController
@RequestMapping("/v1/campaigns")
public class CampaignsController {

    private final CampaignService campaigns;
    private final AppAdmin apps;
    private final AuditTrail audit;
    private final OutboundGuard guard;
    private final Clock clock;

    public CampaignsController(CampaignService campaigns, AppAdmin apps, AuditTrail audit, OutboundGuard guard, Clock clock) {
        this.campaigns = campaigns;
        this.apps = apps;
        this.audit = audit;
        this.guard = guard;
        this.clock = clock;
    }

    public record CampaignBody(String name, String appKey, SendBodies.AudienceBody audience, String template, Integer templateVersion,
                               Map<String, Object> data, List<String> channels, String category, String locale, String sendAt,
                               SendBodies.DeliverAt deliverAt, String expiresAt, Integer throttlePerSecond) {
    }

    public record CampaignView(UUID id, String name, String appKey, String status, Object audience, String template, String category,
                               Instant sendAt, Integer throttlePerSecond, UUID broadcastId, String createdBy, Instant createdAt,
                               BroadcastsController.BroadcastView progress, Map<String, Long> funnel,
                               Map<String, Long> suppressedByReason) {
    }

    public record CampaignPage(List<CampaignView> items, String nextCursor) {
    }

    @PostMapping
    @ProblemResponses({400, 401, 403, 404, 409, 415, 422, 503})
    public ResponseEntity<CampaignView> create(@RequestBody CampaignBody body, HttpServletRequest req) {
        var op = Callers.operator(req, Role.EDITOR);
        if (body == null) throw ApiProblem.invalid("body", "is required");
        Checks c = new Checks();
        if (body.name() == null || body.name().isBlank()) c.add("name", "is required");
        else
            c.maxLength("name", body.name(), FieldLimits.APP_NAME);
        var app = body.appKey() == null ? null : apps.byKey(body.appKey()).filter(AppAdmin.AppRow::active).orElse(null);
        if (app == null) c.add("appKey", body.appKey() == null ? "is required" : "names no active app");
        Audience audience = BroadcastsController.audience(body.audience(), c);
        if (body.template() == null) c.add("template", "is required");
        if (body.category() == null) c.add("category", "is required (campaigns are usually \"marketing\")");
        if (body.throttlePerSecond() != null && (body.throttlePerSecond() < 1 || body.throttlePerSecond() > 1_000_000)) {
            c.add("throttlePerSecond", "must be between 1 and 1000000");
        }
        Instant sendAt = c.instant("sendAt", body.sendAt());
        c.throwIfAny();
        SendRequest send = SendMapper.toRequest(new SendBodies.Send("campaign", null, null, body.channels(), body.template(),
                body.templateVersion(), body.data(), body.locale(), null, body.category(), null, null, body.expiresAt(), null, null,
                body.deliverAt(), null), "", guard, true);
        var created = campaigns.draft(app.id(), body.name(), audience, send, sendAt, body.throttlePerSecond(), op.username());
        audit.record(clock.instant(), op.username(), "CREATE", "campaign", created.id().toString(), null);
        return ResponseEntity.status(201).body(view(campaigns.view(created.id()).orElseThrow()));
    }

    @GetMapping
    @ProblemResponses({400, 401, 403, 404, 409, 415, 422, 503})
    public CampaignPage list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                             HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        Checks c = new Checks();
        int lim = KeyCursor.limit(limit, c);
        NotificationsController.Cursor cur = cursor == null ? null : NotificationsController.Cursor.decode(cursor, c);
        c.throwAsBadParameters();
        var rows = campaigns.list(cur == null ? null : cur.at(), cur == null ? null : cur.id(), lim + 1);
        boolean more = rows.size() > lim;
        var shown = more ? rows.subList(0, lim) : rows;
        String next = more
                ? new NotificationsController.Cursor(shown.getLast().campaign().createdAt(), shown.getLast().campaign().id()).encode()
                : null;
        return new CampaignPage(shown.stream().map(this::view).toList(), next);
    }

    @GetMapping("/{id}")
    @ProblemResponses({400, 401, 403, 404, 409, 415, 422, 503})
    public CampaignView get(@PathVariable UUID id, HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        return view(campaigns.view(id).orElseThrow(() -> ApiProblem.notFound("campaign " + id)));
    }

    @PostMapping("/{id}/schedule")
    @ProblemResponses({400, 401, 403, 404, 409, 415, 422, 503})
    public CampaignView schedule(@PathVariable UUID id, HttpServletRequest req) {
        return change(id, "SCHEDULE", req, () -> campaigns.schedule(id));
    }

    @PostMapping("/{id}/pause")
    @ProblemResponses({400, 401, 403, 404, 409, 415, 422, 503})
    public CampaignView pause(@PathVariable UUID id, HttpServletRequest req) {
        return change(id, "PAUSE", req, () -> campaigns.pause(id));
    }

    @PostMapping("/{id}/resume")
    @ProblemResponses({400, 401, 403, 404, 409, 415, 422, 503})
    public CampaignView resume(@PathVariable UUID id, HttpServletRequest req) {
        return change(id, "RESUME", req, () -> campaigns.resume(id));
    }

    @PostMapping("/{id}/cancel")
    @ProblemResponses({400, 401, 403, 404, 409, 415, 422, 503})
    public CampaignView cancel(@PathVariable UUID id, HttpServletRequest req) {
        return change(id, "CANCEL", req, () -> campaigns.cancel(id));
    }

    private CampaignView change(UUID id, String action, HttpServletRequest req, Supplier<CampaignService.View> change) {
        var op = Callers.operator(req, Role.PUBLISHER);
        try {
            CampaignView v = view(change.get());
            audit.record(clock.instant(), op.username(), action, "campaign", id.toString(), null);
            return v;
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound("campaign " + id);
        } catch (CampaignService.StateException e) {
            throw ApiProblem.conflict(e.getMessage());
        }
    }

    private CampaignView view(CampaignService.View v) {
        var c = v.campaign();
        String appKey = apps.all().stream().filter(a -> a.id() == c.appId()).map(AppAdmin.AppRow::appKey).findFirst().orElse(null);
        Object audience = switch (c.audience()) {
            case Audience.All all -> Map.of("all", true);
            case Audience.OfTopic t -> Map.of("topic", t.key());
            case Audience.Filter f -> Map.of("filter", f);
        };
        return new CampaignView(c.id(), c.name(), appKey, v.status(), audience, c.send().templateKey(), c.send().category(), c.sendAt(),
                c.throttlePerSecond(), c.broadcastId(), c.createdBy(), c.createdAt(),
                v.progress().map(BroadcastsController::view).orElse(null), v.funnel(),
                c.broadcastId() == null ? Map.of() : campaigns.suppressedByReason(c.id()));
    }
}
