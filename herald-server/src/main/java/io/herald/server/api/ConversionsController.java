package io.herald.server.api;

import io.herald.core.engagement.ConversionAttribution;
import io.herald.core.engagement.EngagementStore;
import io.herald.core.trace.NotificationTraces;
import io.herald.core.trace.TrackingEvent;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * A conversion named by the eventId of the send that led to it: credited to that event's notification the user
 * clicked, else opened, else the latest one, within the conversion window. (A conversion naming one notification
 * directly is {@code POST /v1/notifications/{id}/events}.)
 */
@RestController
public class ConversionsController {

    public record Conversion(String eventId, String at, String detail) {
    }

    public record Attributed(String eventId, UUID notificationId, Instant at) {
    }

    private final EngagementStore store;
    private final NotificationTraces queries;
    private final ConversionAttribution attribution;
    private final Clock clock;

    public ConversionsController(EngagementStore store, NotificationTraces queries, ConversionAttribution attribution, Clock clock) {
        this.store = store;
        this.queries = queries;
        this.attribution = attribution;
        this.clock = clock;
    }

    @PostMapping("/v1/conversions")
    @ProblemResponses({400, 401, 403, 404, 409, 413, 415, 422, 429, 503})
    public ResponseEntity<Attributed> convert(@RequestBody Conversion body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks c = new Checks();
        if (body == null || body.eventId() == null || body.eventId().isBlank()) c.add("eventId", "is required");
        else
            c.maxLength("eventId", body.eventId(), FieldLimits.EVENT_ID);
        Instant at = body == null ? null : c.instant("at", body.at());
        if (body != null) c.maxLength("detail", body.detail(), FieldLimits.DETAIL);
        c.throwIfAny();
        Instant when = at == null ? clock.instant() : at;
        var chosen = attribution.pick(store.conversionCandidates(app, body.eventId(), when), when)
                .orElseThrow(() -> new ApiProblem(422, "Not attributable", "no notification of event " + body.eventId()
                        + " was sent in the " + attribution.window() + " before " + when, null));
        queries.recordEvent(app, chosen.id(), TrackingEvent.CONVERTED, when, body.detail() == null ? "conversion" : body.detail());
        return ResponseEntity.accepted().body(new Attributed(body.eventId(), chosen.id(), when));
    }
}
