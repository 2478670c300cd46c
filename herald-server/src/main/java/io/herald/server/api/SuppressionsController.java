package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.core.engagement.EngagementStore;
import io.herald.server.engagement.EngagementCaches;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The app's suppressed email addresses (hard bounces, complaints): list, and remove one to mail it again. */
@RestController
@RequestMapping("/v1/suppressions")
public class SuppressionsController {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Suppression(String address, String reason, String source, String detail, Instant createdAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SuppressionPage(List<Suppression> items, String nextCursor) {
    }

    private final EngagementStore store;
    private final EngagementCaches caches;

    public SuppressionsController(EngagementStore store, EngagementCaches caches) {
        this.store = store;
        this.caches = caches;
    }

    @GetMapping
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public SuppressionPage list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                                HttpServletRequest req) {
        Checks c = new Checks();
        int lim = limit == null ? 50 : limit;
        if (lim < 1 || lim > 500) c.add("limit", "must be between 1 and 500");
        String after = null;
        if (cursor != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (after.isEmpty() || after.length() > FieldLimits.EMAIL) c.add("cursor", "is not a cursor from this API");
            } catch (IllegalArgumentException e) {
                c.add("cursor", "is not a cursor from this API");
            }
        }
        c.throwAsBadParameters();
        var rows = store.suppressions(Callers.app(req).id(), after, lim + 1);
        boolean more = rows.size() > lim;
        var shown = more ? rows.subList(0, lim) : rows;
        String next = more
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(shown.getLast().address().getBytes(StandardCharsets.UTF_8))
                : null;
        return new SuppressionPage(
                shown.stream().map(s -> new Suppression(s.address(), s.reason(), s.source(), s.detail(), s.createdAt())).toList(), next);
    }

    @DeleteMapping("/{address}")
    @ProblemResponses({400, 401, 403, 404, 409, 429, 503})
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "done; no body")
    public ResponseEntity<Void> remove(@PathVariable String address, HttpServletRequest req) {
        Checks c = new Checks();
        c.maxLength("address", address, FieldLimits.EMAIL);
        c.throwAsBadParameters();
        if (!store.unsuppress(Callers.app(req).id(), address)) throw ApiProblem.notFound("suppression of " + address);
        caches.suppressionsChanged();
        return ResponseEntity.noContent().build();
    }
}
