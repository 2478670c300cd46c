package io.herald.server.api;

import io.herald.core.inbox.InboxTokens;
import io.herald.server.config.InboxProperties;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The app's backend mints a short-lived token for one of its users; the user's browser or app then reads that user's
 * inbox with it, and nothing else. Rotating the app's secret or revoking the app ends every token it minted.
 */
@RestController
public class InboxTokenController {

    private final InboxTokens tokens;
    private final InboxProperties props;

    public InboxTokenController(InboxTokens tokens, InboxProperties props) {
        this.tokens = tokens;
        this.props = props;
    }

    /** @param ttl optional ISO-8601 duration, at most herald.inbox.max-token-ttl */
    public record TokenBody(String ttl) {
    }

    @PostMapping("/v1/users/{userId}/inbox-token")
    @io.swagger.v3.oas.annotations.Operation(summary = "Mint a short-lived inbox token for one user of the calling app")
    @ProblemResponses({400, 401, 403, 413, 415, 422, 503})
    public UserResponses.InboxToken mint(@PathVariable String userId, @RequestBody(required = false) TokenBody body,
                                         HttpServletRequest req) {
        var app = Callers.app(req);
        Checks.id("userId", userId);
        Duration ttl = props.tokenTtl();
        if (body != null && body.ttl() != null) {
            try {
                ttl = Duration.parse(body.ttl());
            } catch (DateTimeParseException e) {
                throw ApiProblem.invalid("ttl", "must be an ISO-8601 duration such as PT15M");
            }
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(props.maxTokenTtl()) > 0) {
                throw ApiProblem.invalid("ttl", "must be positive and at most " + props.maxTokenTtl());
            }
        }
        var minted = tokens.mint(app.appKey(), userId, ttl)
                .orElseThrow(() -> new ApiProblem(401, "Invalid credentials", "the app was revoked", null));
        return new UserResponses.InboxToken(minted.token(), minted.expiresAt().toString());
    }
}
