package io.herald.server.console;

import io.herald.core.admin.AuditTrail;
import io.herald.core.admin.OperatorViews;
import io.herald.core.model.Channel;
import io.herald.core.model.Status;
import io.herald.core.model.TargetLookup;
import io.herald.core.queue.Cancellation;
import io.herald.core.trace.NotificationTraces;
import io.herald.server.admin.Administration;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Customer support: find notifications (by user, event, address, status, channel, time) and read one's whole story. */
@Controller
class NotificationsPage {

    private static final int PAGE = 50;

    private final ConsoleApps apps;
    private final NotificationTraces queries;
    private final OperatorViews operatorQueries;
    private final Cancellation queue;
    private final AuditTrail audit;
    private final Administration admin;
    private final TargetLookup lookup;
    private final Clock clock;

    NotificationsPage(ConsoleApps apps, NotificationTraces queries, OperatorViews operatorQueries, Cancellation queue,
                      AuditTrail audit, Administration admin, TargetLookup lookup, Clock clock) {
        this.apps = apps;
        this.queries = queries;
        this.operatorQueries = operatorQueries;
        this.queue = queue;
        this.audit = audit;
        this.admin = admin;
        this.lookup = lookup;
        this.clock = clock;
    }

    @GetMapping("/console/notifications")
    String search(@RequestParam(required = false) String app, @RequestParam(required = false) String userId,
                  @RequestParam(required = false) String eventId, @RequestParam(required = false) String address,
                  @RequestParam(required = false) String status, @RequestParam(required = false) String channel,
                  @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  @RequestParam(required = false) String tz, @RequestParam(required = false) String cursor,
                  HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        model.addAttribute("apps", apps.all());
        model.addAttribute("statuses", Status.values());
        model.addAttribute("channels", Channel.values());
        model.addAttribute("q", new Query(app, Forms.blank(userId), Forms.blank(eventId), Forms.blank(address), Forms.blank(status),
                Forms.blank(channel), Forms.blank(from), Forms.blank(to), tz));
        var chosen = apps.chosen(app);
        if (chosen.isEmpty()) return "console/notifications";
        model.addAttribute("app", chosen.get());
        Checks c = new Checks();
        Status st = c.oneOf("status", Forms.blank(status), Status.class);
        Channel ch = c.oneOf("channel", Forms.blank(channel), Channel.class);
        ZoneId zone = Forms.zone(tz);
        Instant f = Forms.localTime(c, "from", Forms.blank(from), zone), t = Forms.localTime(c, "to", Forms.blank(to), zone);
        TargetLookup.Typed target = null;
        if (Forms.blank(address) != null) {
            target = lookup.typed(address).orElse(null);
            if (target == null) c.add("address", "enter an email address or a phone number");
        }
        String[] cur = decode(c, cursor);
        try {
            c.throwIfAny();
        } catch (ApiProblem p) {
            model.addAttribute("errors", p.errors());
            return "console/notifications";
        }
        var rows = queries.search(chosen.get().id(), new NotificationTraces.Filter(Forms.blank(userId), Forms.blank(eventId), st, ch, f, t,
                cur == null ? null : Instant.parse(cur[0]), cur == null ? null : UUID.fromString(cur[1]), PAGE + 1, target));
        boolean more = rows.size() > PAGE;
        var shown = more ? rows.subList(0, PAGE) : rows;
        model.addAttribute("results", shown);
        if (more) {
            var last = shown.getLast();
            String next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
            model.addAttribute("nextQuery", Forms.withParam(req, "cursor", next));
        }
        return "console/notifications";
    }

    @GetMapping("/console/notifications/{appKey}/{id}")
    String detail(@PathVariable String appKey, @PathVariable UUID id, @RequestParam(required = false) String done,
                  HttpServletRequest req, Model model) {
        Callers.operator(req, Role.VIEWER);
        var app = apps.require(appKey);
        var n = queries.get(app.id(), id).orElseThrow(() -> ApiProblem.notFound("notification " + id + " of app " + appKey));
        model.addAttribute("app", app);
        model.addAttribute("n", n);
        model.addAttribute("content", operatorQueries.content(app.id(), id).orElse(null));
        model.addAttribute("deadLetter", operatorQueries.isDeadLetter(id));
        model.addAttribute("done", done);
        return "console/notification";
    }

    @PostMapping("/console/notifications/{appKey}/{id}/cancel")
    String cancel(@PathVariable String appKey, @PathVariable UUID id, HttpServletRequest req) {
        var op = Callers.operator(req, Role.EDITOR);
        var app = apps.require(appKey);
        var n = queries.get(app.id(), id).orElseThrow(() -> ApiProblem.notFound("notification " + id + " of app " + appKey));
        Instant now = clock.instant();
        if (!queue.cancel(app.id(), id, now)) {
            throw ApiProblem
                    .conflict("notification " + id + " is " + n.status() + "; only SCHEDULED or QUEUED notifications can be cancelled");
        }
        audit.record(now, op.username(), "CANCEL", "notification", id.toString(), "{\"app\":\"" + appKey + "\"}");
        return "redirect:/console/notifications/" + path(appKey) + "/" + id + "?done=cancelled";
    }

    @PostMapping("/console/notifications/{appKey}/{id}/requeue")
    String requeue(@PathVariable String appKey, @PathVariable UUID id, HttpServletRequest req) {
        var app = apps.require(appKey);
        queries.get(app.id(), id).orElseThrow(() -> ApiProblem.notFound("notification " + id + " of app " + appKey));
        // as the API's requeue: same role rule (ADMIN), same audit entry
        int n = admin.requeueDeadLetters(Callers.operator(req, Role.VIEWER), List.of(id));
        if (n == 0) throw ApiProblem.conflict("notification " + id + " is not a dead letter");
        return "redirect:/console/notifications/" + path(appKey) + "/" + id + "?done=requeued";
    }

    record Query(String app, String userId, String eventId, String address, String status, String channel, String from, String to,
                 String tz) {
    }

    private static String path(String s) {
        return UriUtils.encodePathSegment(s, StandardCharsets.UTF_8);
    }

    private static String[] decode(Checks c, String cursor) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            Instant.parse(parts[0]);
            UUID.fromString(parts[1]);
            return parts;
        } catch (RuntimeException e) {
            c.add("cursor", "is not a page this console gave out");
            return null;
        }
    }
}
