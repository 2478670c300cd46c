package io.herald.server.api;

import io.herald.core.audience.Audience;
import io.herald.core.audience.BroadcastService;
import io.herald.core.audience.BroadcastStore;
import io.herald.core.intake.SendRequest;
import io.herald.core.net.OutboundGuard;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Broadcasts (audience sends): their progress, and stopping them. They are created through POST /v1/notifications. */
@RestController
@RequestMapping("/v1/broadcasts")
public class BroadcastsController {

    private final BroadcastService broadcasts;

    public BroadcastsController(BroadcastService broadcasts) {
        this.broadcasts = broadcasts;
    }

    public record Accepted(String eventId, UUID broadcastId, String status) {
    }

    /**
     * A broadcast's state. planned counts notifications created so far (one per recipient and channel target);
     * the other counts are those notifications by where they are now.
     */
    public record BroadcastView(UUID id, String eventId, String status, Object audience, long recipients, long planned,
                                long scheduled, long queued, long suppressed, long sent, long delivered, long failed,
                                long cancelled, long expired, Map<String, Long> byStatus, Instant createdAt, Instant finishedAt) {
    }

    @GetMapping("/{id}")
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public BroadcastView get(@PathVariable UUID id, HttpServletRequest req) {
        return view(broadcasts.progress(Callers.app(req).id(), id).orElseThrow(() -> ApiProblem.notFound("broadcast " + id)));
    }

    @DeleteMapping("/{id}")
    @ProblemResponses({400, 401, 403, 404, 409, 429, 503})
    public BroadcastView cancel(@PathVariable UUID id, HttpServletRequest req) {
        return view(broadcasts.cancel(Callers.app(req).id(), id).orElseThrow(() -> ApiProblem.notFound("broadcast " + id)));
    }

    /** POST /v1/notifications with a topic or an audience lands here: 202 at once, the fan-out runs in the scheduler. */
    static ResponseEntity<Accepted> accept(BroadcastService broadcasts, long app, SendBodies.Send body, OutboundGuard guard) {
        Checks c = new Checks();
        Audience audience = audience(body, c);
        SendRequest send;
        try {
            send = SendMapper.toRequest(body, "", guard, true);
        } catch (ApiProblem p) {
            c.throwIfAny(); // both lists would be better; the audience's errors come first
            throw p;
        }
        c.throwIfAny();
        try {
            BroadcastStore.Created created = broadcasts.accept(app, audience, send);
            var b = created.broadcast();
            return ResponseEntity.status(created.replay() ? 200 : 202).body(new Accepted(b.eventId(), b.id(), b.status().name()));
        } catch (BroadcastStore.EventIdTakenException e) {
            throw ApiProblem.conflict(e.getMessage());
        }
    }

    private static Audience audience(SendBodies.Send b, Checks c) {
        if (b.topic() != null && b.audience() != null) {
            c.add("audience", "give one of topic and audience");
            return null;
        }
        if (b.topic() != null) {
            TopicsController.checkKey("topic", b.topic(), c);
            return new Audience.OfTopic(b.topic());
        }
        return audience(b.audience(), c);
    }

    /** An audience body: exactly one of {all: true}, {topic} and {filter}; null after recording what is wrong. */
    static Audience audience(SendBodies.AudienceBody a, Checks c) {
        if (a == null) {
            c.add("audience", "is required");
            return null;
        }
        boolean all = Boolean.TRUE.equals(a.all());
        int given = (all ? 1 : 0) + (a.topic() != null ? 1 : 0) + (a.filter() != null ? 1 : 0);
        if (given != 1) {
            c.add("audience", "give exactly one of {\"all\": true}, {\"topic\": \"key\"} and {\"filter\": {...}}");
            return null;
        }
        if (all) return new Audience.All();
        if (a.topic() != null) {
            TopicsController.checkKey("audience.topic", a.topic(), c);
            return new Audience.OfTopic(a.topic());
        }
        var f = a.filter();
        String locale = c.locale("audience.filter.locale", f.locale());
        String tz = c.timezone("audience.filter.timezone", f.timezone());
        Map<String, Object> attrs = f.attributes() == null ? Map.of() : f.attributes();
        if (locale == null && tz == null && attrs.isEmpty() && c.ok()) {
            c.add("audience.filter", "needs locale, timezone or attributes; to send to everyone use {\"all\": true}");
        }
        return new Audience.Filter(locale, tz, attrs);
    }

    static BroadcastView view(BroadcastStore.Progress p) {
        var b = p.broadcast();
        Map<String, Long> s = p.byStatus();
        long planned = s.values().stream().mapToLong(Long::longValue).sum();
        return new BroadcastView(b.id(), b.eventId(), b.status().name(), audienceView(b.audience()), b.recipients(), planned,
                n(s, "SCHEDULED"), n(s, "QUEUED") + n(s, "SENDING") + n(s, "RETRYING"), n(s, "SUPPRESSED"), n(s, "SENT"),
                n(s, "DELIVERED"), n(s, "FAILED"), n(s, "CANCELLED"), n(s, "EXPIRED"), s, b.createdAt(), b.finishedAt());
    }

    private static Object audienceView(Audience a) {
        return switch (a) {
            case Audience.All all -> Map.of("all", true);
            case Audience.OfTopic t -> Map.of("topic", t.key());
            case Audience.Filter f -> Map.of("filter", f);
        };
    }

    private static long n(Map<String, Long> s, String status) {
        return s.getOrDefault(status, 0L);
    }
}
