package io.herald.server.api;

import io.herald.core.engagement.AutomatedTraffic;
import io.herald.core.engagement.EngagementStore;
import io.herald.core.engagement.TrackedLinks;
import io.herald.core.engagement.TrackingTokens;
import io.herald.core.trace.TrackingEvent;
import io.herald.server.http.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Open pixels and tracked links, fetched by mail clients, browsers and scanners without credentials: the signed token
 * is the authority. A click redirects only to the URL Herald rewrote, read from the stored notification, never from
 * the request. Machines' opens and clicks are recorded flagged, so analytics count people.
 */
@RestController
public class TrackingController {

    /** The smallest transparent GIF. */
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final TrackingTokens tokens;
    private final TrackedLinks links;
    private final EngagementStore store;
    private final AutomatedTraffic automated;
    private final Clock clock;

    public TrackingController(TrackingTokens tokens, TrackedLinks links, EngagementStore store, AutomatedTraffic automated, Clock clock) {
        this.tokens = tokens;
        this.links = links;
        this.store = store;
        this.automated = automated;
        this.clock = clock;
    }

    @GetMapping("/t/o/{token}")
    @ProblemResponses({400, 404})
    public ResponseEntity<byte[]> open(@PathVariable String token, HttpServletRequest req) {
        var link = tokens.open(token).filter(l -> l.kind() == TrackingTokens.Kind.OPEN)
                .orElseThrow(() -> ApiProblem.notFound("tracking pixel"));
        var tracked = store.tracked(link.notificationId()).orElseThrow(() -> ApiProblem.notFound("tracking pixel"));
        record(TrackingTokens.Kind.OPEN, tracked, req);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_GIF).body(PIXEL);
    }

    @GetMapping("/t/c/{token}")
    @ProblemResponses({400, 404})
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "done; no body")
    public ResponseEntity<Void> click(@PathVariable String token, HttpServletRequest req) {
        var link = tokens.open(token).filter(l -> l.kind() == TrackingTokens.Kind.CLICK)
                .orElseThrow(() -> ApiProblem.notFound("tracked link"));
        var tracked = store.tracked(link.notificationId()).orElseThrow(() -> ApiProblem.notFound("tracked link"));
        String target = links.target(tracked.channel(), tracked.content(), link.index())
                .orElseThrow(() -> ApiProblem.notFound("tracked link"));
        record(TrackingTokens.Kind.CLICK, tracked, req);
        return ResponseEntity.status(302).cacheControl(CacheControl.noStore()).header(HttpHeaders.LOCATION, location(target)).build();
    }

    /**
     * The URL as an HTTP header value: characters outside printable ASCII percent-encoded as UTF-8 (an href may hold
     * spaces or non-Latin text a browser would encode itself); everything else exactly as Herald rewrote it.
     */
    public static String location(String url) {
        StringBuilder b = new StringBuilder(url.length() + 16);
        for (byte x : url.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c > 0x20 && c < 0x7F) b.append((char) c);
            else
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
        }
        return b.toString();
    }

    private void record(TrackingTokens.Kind kind, EngagementStore.Tracked tracked, HttpServletRequest req) {
        Instant now = clock.instant();
        Optional<String> machine = req.getMethod().equals("HEAD")
                ? Optional.of("HEAD request (link check)")
                : automated.classify(kind, req.getHeader("User-Agent"), now, tracked.deliveredAt());
        store.recordEngagement(tracked.id(), kind == TrackingTokens.Kind.OPEN ? TrackingEvent.OPENED : TrackingEvent.CLICKED, now,
                machine.isPresent(),
                machine.map(m -> "automated: " + m).orElse(kind == TrackingTokens.Kind.OPEN ? "open pixel" : "tracked link"));
    }
}
