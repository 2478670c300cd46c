package io.herald.server.api;

import io.herald.core.intake.NotificationStore;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.model.Channel;
import io.herald.core.model.Status;
import io.herald.core.net.OutboundGuard;
import io.herald.core.queue.Cancellation;
import io.herald.core.trace.NotificationTraces;
import io.herald.core.trace.TrackingEvent;
import io.herald.server.api.NotificationResponses.BatchResult;
import io.herald.server.api.NotificationResponses.BatchResults;
import io.herald.server.api.NotificationResponses.Receipt;
import io.herald.server.api.NotificationResponses.Trace;
import io.herald.server.api.NotificationResponses.TracePage;
import io.herald.server.api.NotificationResponses.Tracked;
import io.herald.server.config.ApiProperties;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.observability.PipelineMetrics;
import io.herald.server.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import java.util.List;
import java.util.UUID;

/** Sending, tracing, cancelling and tracking notifications; everything scoped to the calling app. */
@RestController
@RequestMapping("/v1/notifications")
public class NotificationsController {

    private final SendService sends;
    private final io.herald.core.intake.SingleSendIntake singles;
    private final NotificationTraces traces;
    private final Cancellation cancellation;
    private final ApiProperties api;
    private final PipelineMetrics metrics;
    private final ApiErrors errors;
    private final Clock clock;
    private final OutboundGuard guard;
    private final io.herald.core.audience.BroadcastService broadcasts;
    private final io.herald.core.audience.DigestService digests;

    public NotificationsController(SendService sends, io.herald.core.intake.SingleSendIntake singles, NotificationTraces traces,
                                   Cancellation cancellation, ApiProperties api,
                                   PipelineMetrics metrics, ApiErrors errors, Clock clock, OutboundGuard guard,
                                   io.herald.core.audience.BroadcastService broadcasts, io.herald.core.audience.DigestService digests) {
        this.broadcasts = broadcasts;
        this.digests = digests;
        this.guard = guard;
        this.sends = sends;
        this.singles = singles;
        this.traces = traces;
        this.cancellation = cancellation;
        this.api = api;
        this.metrics = metrics;
        this.errors = errors;
        this.clock = clock;
    }

    // produces: an Accept that rules JSON out is refused (406) before anything is stored, not after
    @PostMapping(produces = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Send a notification", description = "202 when accepted; 200 with the stored answer when the eventId was sent before")
    @ApiResponse(responseCode = "202", description = "accepted", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = Receipt.class), examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.RECEIPT)))
    @ApiResponse(responseCode = "200", description = "a repeated eventId: the first answer, unchanged", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = Receipt.class)))
    @ProblemResponses({400, 401, 403, 413, 415, 422, 429, 503})
    public ResponseEntity<?> send(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.SEND))) @RequestBody SendBodies.Send body,
                                  HttpServletRequest req) {
        long app = Callers.app(req).id();
        // audience sends answer with their broadcast at once; digested sends join their window
        if (body != null && (body.topic() != null || body.audience() != null))
            return BroadcastsController.accept(broadcasts, app, body, guard);
        SendRequest request = SendMapper.toRequest(body, "", guard);
        if (body.digest() != null) {
            var digested = DigestSends.accept(digests, app, request, body.digest());
            if (digested != null) return digested;
        }
        NotificationStore.Stored stored = singles.send(app, request);
        metrics.accepted(stored);
        return ResponseEntity.status(stored.replay() ? 200 : 202).body(Receipt.of(stored.receipt()));
    }

    @PostMapping(path = "/batch", produces = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Send up to herald.api.max-batch-size notifications; each item answers on its own")
    @ProblemResponses({400, 401, 403, 413, 415, 422, 429, 503})
    public BatchResults batch(@RequestBody SendBodies.Batch body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (body == null || body.notifications() == null) throw ApiProblem.invalid("notifications", "is required");
        if (body.notifications().size() > api.maxBatchSize()) {
            throw ApiProblem.invalid("notifications", "at most " + api.maxBatchSize() + " per batch; got " + body.notifications().size());
        }
        // items are checked one by one: a bad item gets its own problem and does not sink the others
        BatchResult[] results = new BatchResult[body.notifications().size()];
        List<SendRequest> valid = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            try {
                var item = body.notifications().get(i);
                if (item != null && item.digest() != null)
                    throw ApiProblem.invalid("digest", "digested sends are single requests to POST /v1/notifications, not batch items");
                valid.add(SendMapper.toRequest(item, "", guard));
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
                results[slots.get(k)] = BatchResult.accepted(s.replay(), s.receipt());
            } else {
                results[slots.get(k)] = problemOf((RuntimeException) o);
            }
        }
        return new BatchResults(List.of(results));
    }

    private BatchResult problemOf(RuntimeException e) {
        ApiProblem p = switch (e) {
            case ApiProblem a -> a;
            case io.herald.core.intake.InvalidSendException i -> ApiProblem.invalid(i.field(), i.getMessage());
            case io.herald.core.template.TemplateException t -> ApiProblem.invalid("template", t.getMessage());
            default -> throw e;
        };
        // the same status, title, detail and errors as ApiErrors would answer for this item alone
        ProblemDetail d = errors.problem(p).getBody();
        return new BatchResult(d.getStatus(), null, null, d.getTitle(), d.getDetail(), p.errors().isEmpty() ? null : p.errors());
    }

    @GetMapping("/{id}")
    @Operation(summary = "A notification's trace: status, masked target, provider and history")
    @ProblemResponses({400, 401, 403, 404, 503})
    public Trace get(@PathVariable UUID id, HttpServletRequest req) {
        var v = traces.get(Callers.app(req).id(), id).orElseThrow(() -> ApiProblem.notFound("notification " + id));
        return Trace.of(v);
    }

    @GetMapping
    @Operation(summary = "Search notifications, newest first")
    @ProblemResponses({400, 401, 403, 503})
    public TracePage search(@RequestParam(required = false) String userId, @RequestParam(required = false) String eventId,
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
        var rows = traces.search(Callers.app(req).id(), new NotificationTraces.Filter(userId, eventId, st, ch, f, t,
                cur == null ? null : cur.at(), cur == null ? null : cur.id(), lim + 1));
        boolean more = rows.size() > lim;
        List<NotificationTraces.NotificationView> shown = more ? rows.subList(0, lim) : rows;
        String next = more ? new Cursor(shown.getLast().createdAt(), shown.getLast().id()).encode() : null;
        return new TracePage(shown.stream().map(Trace::of).toList(), next);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel a SCHEDULED or QUEUED notification")
    @ProblemResponses({400, 401, 403, 404, 409, 503})
    public Trace cancel(@PathVariable UUID id, HttpServletRequest req) {
        long app = Callers.app(req).id();
        var v = traces.get(app, id).orElseThrow(() -> ApiProblem.notFound("notification " + id));
        if (!cancellation.cancel(app, id, clock.instant())) {
            throw ApiProblem
                    .conflict("notification " + id + " is " + v.status() + "; only SCHEDULED or QUEUED notifications can be cancelled");
        }
        return Trace.of(traces.get(app, id).orElseThrow());
    }

    @PostMapping("/{id}/events")
    @Operation(summary = "Report a tracking event (DELIVERED, OPENED, CLICKED, CONVERTED)")
    @ApiResponse(responseCode = "202", description = "recorded", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = Tracked.class)))
    @ProblemResponses({400, 401, 403, 404, 413, 415, 422, 503})
    public ResponseEntity<Tracked> track(@PathVariable UUID id,
                                         @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.TRACKING))) @RequestBody SendBodies.TrackingEvent body,
                                         HttpServletRequest req) {
        Checks c = new Checks();
        TrackingEvent type = body == null ? null : TrackingEvent.parse(body.type()).orElse(null);
        if (type == null) c.add("type", "must be one of " + java.util.Arrays.toString(TrackingEvent.values()));
        Instant at = body == null ? null : c.instant("at", body.at());
        if (body != null) c.maxLength("detail", body.detail(), FieldLimits.DETAIL);
        c.throwIfAny();
        Instant when = at == null ? clock.instant() : at;
        if (!traces.recordEvent(Callers.app(req).id(), id, type, when, body.detail())) {
            throw ApiProblem.notFound("notification " + id);
        }
        return ResponseEntity.accepted().body(new Tracked(id, type.name(), when));
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
