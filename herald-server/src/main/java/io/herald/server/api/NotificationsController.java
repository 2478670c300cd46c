package io.herald.server.api;

import io.herald.core.intake.NotificationStore;
import io.herald.core.intake.SendReceipt;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.model.Channel;
import io.herald.core.model.Status;
import io.herald.core.net.OutboundGuard;
import io.herald.postgres.NotificationQueries;
import io.herald.postgres.PostgresDeliveryQueue;
import io.herald.server.config.ApiProperties;
import io.herald.server.observability.PipelineMetrics;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Sending, tracing, cancelling and tracking notifications; everything scoped to the calling app. */
@RestController
@RequestMapping("/v1/notifications")
public class NotificationsController {

    private static final Set<String> TRACKING = Set.of("DELIVERED", "OPENED", "CLICKED", "CONVERTED");

    private final SendService sends;
    private final NotificationQueries queries;
    private final PostgresDeliveryQueue queue;
    private final ApiProperties api;
    private final PipelineMetrics metrics;
    private final ApiErrors errors;
    private final Clock clock;
    private final OutboundGuard guard;
    private final io.herald.core.audience.BroadcastService broadcasts;
    private final io.herald.core.audience.DigestService digests;

    public NotificationsController(SendService sends, NotificationQueries queries, PostgresDeliveryQueue queue, ApiProperties api,
                                   PipelineMetrics metrics, ApiErrors errors, Clock clock, OutboundGuard guard,
                                   io.herald.core.audience.BroadcastService broadcasts, io.herald.core.audience.DigestService digests) {
        this.guard = guard;
        this.broadcasts = broadcasts;
        this.digests = digests;
        this.sends = sends;
        this.queries = queries;
        this.queue = queue;
        this.api = api;
        this.metrics = metrics;
        this.errors = errors;
        this.clock = clock;
    }

    @PostMapping
    public ResponseEntity<?> send(@RequestBody SendBodies.Send body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (body != null && (body.topic() != null || body.audience() != null)) return BroadcastsController.accept(broadcasts, app, body, guard);
        SendRequest request = SendMapper.toRequest(body, "", guard);
        if (body.digest() != null) {
            var digested = DigestSends.accept(digests, app, request, body.digest());
            if (digested != null) return digested;
        }
        NotificationStore.Stored stored = sends.send(app, request);
        metrics.accepted(stored);
        return ResponseEntity.status(stored.replay() ? 200 : 202).body(receipt(stored.receipt()));
    }

    @PostMapping("/batch")
    public Map<String, Object> batch(@RequestBody SendBodies.Batch body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (body == null || body.notifications() == null) throw ApiProblem.invalid("notifications", "is required");
        if (body.notifications().size() > api.maxBatchSize()) {
            throw ApiProblem.invalid("notifications", "at most " + api.maxBatchSize() + " per batch; got " + body.notifications().size());
        }
        // items are checked one by one: a bad item gets its own problem and does not sink the others
        Object[] results = new Object[body.notifications().size()];
        List<SendRequest> valid = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            try {
                var item = body.notifications().get(i);
                if (item != null && item.digest() != null) throw ApiProblem.invalid("digest", "digested sends are single requests to POST /v1/notifications, not batch items");
                valid.add(SendMapper.toRequest(body.notifications().get(i), "", guard));
                slots.add(i);
            } catch (ApiProblem p) {
                results[i] = problemOf(p);
            }
        }
        List<Object> outcomes = sends.sendBatch(app, valid);
        for (int k = 0; k < outcomes.size(); k++) {
            Object o = outcomes.get(k);
            if (o instanceof NotificationStore.Stored s) {
                metrics.accepted(s);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("status", s.replay() ? 200 : 202);
                r.putAll(receipt(s.receipt()));
                results[slots.get(k)] = r;
            } else {
                results[slots.get(k)] = problemOf((RuntimeException) o);
            }
        }
        return Map.of("results", List.of(results));
    }

    private Object problemOf(RuntimeException e) {
        ResponseEntity<ProblemDetail> r = switch (e) {
            case ApiProblem p -> errors.problem(p);
            case io.herald.core.intake.InvalidSendException i -> errors.invalidSend(i);
            case io.herald.core.template.TemplateException t -> errors.template(t);
            default -> throw e;
        };
        ProblemDetail p = r.getBody();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", p.getStatus());
        m.put("title", p.getTitle());
        m.put("detail", p.getDetail());
        if (p.getProperties() != null) m.putAll(p.getProperties());
        return m;
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable UUID id, HttpServletRequest req) {
        var v = queries.get(Callers.app(req).id(), id).orElseThrow(() -> ApiProblem.notFound("notification " + id));
        return view(v);
    }

    @GetMapping
    public Map<String, Object> search(@RequestParam(required = false) String userId, @RequestParam(required = false) String eventId,
                                      @RequestParam(required = false) String status, @RequestParam(required = false) String channel,
                                      @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                      @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                                      HttpServletRequest req) {
        Checks c = new Checks();
        Status st = c.oneOf("status", status, Status.class);
        Channel ch = c.oneOf("channel", channel, Channel.class);
        Instant f = c.instant("from", from), t = c.instant("to", to);
        int lim = limit == null ? 50 : limit;
        if (lim < 1 || lim > 500) c.add("limit", "must be between 1 and 500");
        Cursor cur = cursor == null ? null : Cursor.decode(cursor, c);
        c.maxLength("userId", userId, FieldLimits.USER_ID);
        c.maxLength("eventId", eventId, FieldLimits.EVENT_ID);
        c.throwAsBadParameters();
        var rows = queries.search(Callers.app(req).id(), new NotificationQueries.Filter(userId, eventId, st, ch, f, t,
                cur == null ? null : cur.at(), cur == null ? null : cur.id(), lim + 1));
        Map<String, Object> page = new LinkedHashMap<>();
        boolean more = rows.size() > lim;
        List<NotificationQueries.NotificationView> shown = more ? rows.subList(0, lim) : rows;
        page.put("items", shown.stream().map(this::view).toList());
        if (more) {
            var last = shown.getLast();
            page.put("nextCursor", new Cursor(last.createdAt(), last.id()).encode());
        }
        return page;
    }

    @DeleteMapping("/{id}")
    public Map<String, Object> cancel(@PathVariable UUID id, HttpServletRequest req) {
        long app = Callers.app(req).id();
        var v = queries.get(app, id).orElseThrow(() -> ApiProblem.notFound("notification " + id));
        if (!queue.cancel(app, id, clock.instant())) {
            throw ApiProblem.conflict("notification " + id + " is " + v.status() + "; only SCHEDULED or QUEUED notifications can be cancelled");
        }
        return view(queries.get(app, id).orElseThrow());
    }

    @PostMapping("/{id}/events")
    public ResponseEntity<Map<String, Object>> track(@PathVariable UUID id, @RequestBody SendBodies.TrackingEvent body, HttpServletRequest req) {
        Checks c = new Checks();
        if (body == null || body.type() == null || !TRACKING.contains(body.type())) c.add("type", "must be one of " + TRACKING);
        Instant at = body == null ? null : c.instant("at", body.at());
        if (body != null) c.maxLength("detail", body.detail(), FieldLimits.DETAIL);
        c.throwIfAny();
        Instant when = at == null ? clock.instant() : at;
        if (!queries.recordEvent(Callers.app(req).id(), id, body.type(), when, body.detail())) {
            throw ApiProblem.notFound("notification " + id);
        }
        return ResponseEntity.accepted().body(Map.of("id", id, "type", body.type(), "at", when));
    }

    static Map<String, Object> receipt(SendReceipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", r.eventId());
        m.put("notifications", r.notifications().stream().map(i -> {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("id", i.id());
            n.put("channel", i.channel());
            n.put("target", i.target());
            n.put("status", i.status());
            if (i.reason() != null) n.put("reason", i.reason());
            return n;
        }).toList());
        return m;
    }

    private Map<String, Object> view(NotificationQueries.NotificationView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("eventId", v.eventId());
        put(m, "broadcastId", v.broadcastId());
        put(m, "userId", v.userId());
        m.put("channel", v.channel());
        m.put("priority", v.priority());
        put(m, "category", v.category());
        put(m, "template", v.templateKey());
        put(m, "templateVersion", v.templateVersion());
        put(m, "target", v.target());
        m.put("status", v.status());
        put(m, "reason", v.reason());
        put(m, "detail", v.detail());
        m.put("attempts", v.attempts());
        put(m, "provider", v.provider());
        put(m, "providerMessageId", v.providerMessageId());
        put(m, "sendAt", v.sendAt());
        put(m, "expiresAt", v.expiresAt());
        m.put("createdAt", v.createdAt());
        m.put("updatedAt", v.updatedAt());
        if (!v.events().isEmpty()) {
            m.put("events", v.events().stream().map(e -> {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("status", e.status());
                ev.put("at", e.at());
                put(ev, "attempt", e.attempt());
                put(ev, "provider", e.provider());
                put(ev, "reason", e.reason());
                put(ev, "detail", e.detail());
                return ev;
            }).toList());
        }
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) m.put(k, v);
    }

    /** Opaque page cursor: the (createdAt, id) of the last row shown. */
    record Cursor(Instant at, UUID id) {
        String encode() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((at.toString() + "|" + id).getBytes());
        }

        static Cursor decode(String s, Checks c) {
            try {
                String[] parts = new String(java.util.Base64.getUrlDecoder().decode(s)).split("\\|");
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                c.add("cursor", "is not a cursor this API gave out");
                return null;
            }
        }
    }
}
