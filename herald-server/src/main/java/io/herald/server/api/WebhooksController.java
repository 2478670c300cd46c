package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.core.engagement.StandardWebhooks;
import io.herald.core.engagement.WebhookEventType;
import io.herald.core.engagement.WebhookStore;
import io.herald.core.net.OutboundGuard;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Status webhooks of the calling app (Standard Webhooks): subscribe, list, delete, replay. */
@RestController
@RequestMapping("/v1/webhooks")
public class WebhooksController {

    static final int MAX_PER_APP = 20;
    static final int MAX_URL = 2048;

    public record CreateWebhook(String url, List<String> events) {
    }

    public record Replay(String since) {
    }

    /** secret only in the answer to the creation */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(UUID id, String url, List<String> events, boolean enabled, String disabledReason, Instant createdAt,
                          Instant disabledAt, String secret, Deliveries deliveries) {
    }

    public record Deliveries(long pending, long delivered, long failed) {
    }

    public record WebhookList(List<Webhook> items) {
    }

    public record Replayed(UUID id, int replayed) {
    }

    private final WebhookStore store;
    private final OutboundGuard guard;
    private final Clock clock;

    public WebhooksController(WebhookStore store, OutboundGuard guard, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.clock = clock;
    }

    @PostMapping
    @ProblemResponses({400, 401, 403, 404, 409, 413, 415, 422, 429, 503})
    public ResponseEntity<Webhook> create(@RequestBody CreateWebhook body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks c = new Checks();
        if (body == null || body.url() == null || body.url().isBlank()) c.add("url", "is required");
        else if (c.maxLength("url", body.url(), MAX_URL)) {
            Optional<String> problem = guard.problemWith(body.url());
            problem.ifPresent(p -> c.add("url", p));
            // a password in the URL would be stored and listed in plain text to everyone who reads webhooks; the
            // receiver authenticates Herald by the webhook-signature header instead
            if (problem.isEmpty() && URI.create(body.url()).getRawUserInfo() != null)
                c.add("url", "must not carry credentials (user:password@host); verify the webhook-signature header instead");
        }
        List<String> events = new ArrayList<>();
        if (body == null || body.events() == null || body.events().isEmpty()) {
            c.add("events", "must name at least one of " + known());
        } else {
            for (int i = 0; i < body.events().size(); i++) {
                String e = body.events().get(i);
                if (e == null || WebhookEventType.parse(e).isEmpty()) c.add("events[" + i + "]", "must be one of " + known());
                else
                    events.add(e);
            }
        }
        c.throwIfAny();
        if (store.list(app).size() >= MAX_PER_APP) {
            throw ApiProblem.conflict("an app may have at most " + MAX_PER_APP + " webhooks; delete one first");
        }
        UUID id = UUID.randomUUID();
        String secret = StandardWebhooks.newSecret();
        List<String> distinct = List.copyOf(new LinkedHashSet<>(events));
        store.create(app, id, body.url(), distinct, secret, clock.instant());
        var created = store.get(app, id).orElseThrow();
        return ResponseEntity.created(URI.create("/v1/webhooks/" + id)).body(view(created, secret, null));
    }

    @GetMapping
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public WebhookList list(HttpServletRequest req) {
        return new WebhookList(store.list(Callers.app(req).id()).stream().map(s -> view(s, null, null)).toList());
    }

    @GetMapping("/{id}")
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public Webhook get(@PathVariable UUID id, HttpServletRequest req) {
        var s = store.get(Callers.app(req).id(), id).orElseThrow(() -> ApiProblem.notFound("webhook " + id));
        var counts = store.counts(id);
        return view(s, null, new Deliveries(counts.pending(), counts.delivered(), counts.failed()));
    }

    @DeleteMapping("/{id}")
    @ProblemResponses({400, 401, 403, 404, 409, 429, 503})
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "done; no body")
    public ResponseEntity<Void> delete(@PathVariable UUID id, HttpServletRequest req) {
        if (!store.delete(Callers.app(req).id(), id, clock.instant())) throw ApiProblem.notFound("webhook " + id);
        return ResponseEntity.noContent().build();
    }

    /** Sends the failed deliveries again, or with {@code since} every delivery from then on; re-enables a disabled webhook. */
    @PostMapping("/{id}/replay")
    @ProblemResponses({400, 401, 403, 404, 409, 413, 415, 422, 429, 503})
    public ResponseEntity<Replayed> replay(@PathVariable UUID id, @RequestBody(required = false) Replay body, HttpServletRequest req) {
        Checks c = new Checks();
        Instant since = body == null ? null : c.instant("since", body.since());
        c.throwIfAny();
        int n = store.replay(Callers.app(req).id(), id, since, clock.instant());
        if (n < 0) throw ApiProblem.notFound("webhook " + id);
        return ResponseEntity.accepted().body(new Replayed(id, n));
    }

    /** A URL stored before credentials were refused is listed with its user:password masked. */
    static String withoutCredentials(String url) {
        try {
            URI u = new URI(url);
            if (u.getRawUserInfo() == null) return url;
            return url.replace(u.getRawUserInfo() + "@", "***@");
        } catch (java.net.URISyntaxException e) {
            return url;
        }
    }

    private static Webhook view(WebhookStore.Subscription s, String secret, Deliveries deliveries) {
        return new Webhook(s.id(), withoutCredentials(s.url()), s.events(), s.enabled(), s.disabledReason(), s.createdAt(), s.disabledAt(),
                secret, deliveries);
    }

    private static List<String> known() {
        return Arrays.stream(WebhookEventType.values()).map(WebhookEventType::apiName).toList();
    }
}
