package io.herald.server.api;

import io.herald.core.model.Channel;
import io.herald.core.provider.DeliveryReceipts;
import io.herald.core.user.UserAdmin;
import io.herald.providers.email.SealedUnsubscribeLinks;
import io.herald.providers.email.UnsubscribeScope;
import io.herald.providers.sms.TwilioSignature;
import io.herald.providers.sms.TwilioStatusCallback;
import io.herald.providers.webpush.WebPushProvider;
import io.herald.server.api.UserResponses.Unsubscribed;
import io.herald.server.config.ConfiguredProviders;
import io.herald.server.http.ApiProblem;
import io.herald.server.runtime.CachedUserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Endpoints called by third parties and by recipients, not by client apps: each authenticates by a signature
 * (Twilio's X-Twilio-Signature, Herald's sealed unsubscribe token) instead of credentials.
 */
@RestController
@RequestMapping("/v1")
public class CallbacksController {

    private final DeliveryReceipts receipts;
    private final UserAdmin users;
    private final SealedUnsubscribeLinks unsubscribeLinks;
    private final ConfiguredProviders providers;
    private final Clock clock;
    private final CachedUserDirectory cache;

    public CallbacksController(DeliveryReceipts receipts, UserAdmin users, SealedUnsubscribeLinks unsubscribeLinks,
                               ConfiguredProviders providers, Clock clock,
                               CachedUserDirectory cache) {
        this.receipts = receipts;
        this.users = users;
        this.cache = cache;
        this.unsubscribeLinks = unsubscribeLinks;
        this.providers = providers;
        this.clock = clock;
    }

    /** Twilio's message status callback: delivered / undelivered / failed become history events. */
    @PostMapping(value = "/webhooks/twilio/status", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @ApiResponse(responseCode = "204", description = "recorded")
    @ProblemResponses({403, 404, 413, 415})
    public ResponseEntity<Void> twilioStatus(HttpServletRequest req) {
        var accounts = providers.twilioAccounts();
        if (accounts.isEmpty()) throw ApiProblem.notFound("Twilio callbacks (Twilio is not configured)");
        Map<String, String> form = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> form.put(k, v.length == 0 ? "" : v[0]));
        // Twilio signs the URL it called (the callback URL it was given) with the auth token of the sending account
        String signature = req.getHeader("X-Twilio-Signature");
        boolean signed = accounts.stream()
                .anyMatch(a -> new TwilioSignature(a.authToken()).isValidSingle(a.statusCallbackUrl().toString(), form, signature));
        if (!signed) throw ApiProblem.forbidden("X-Twilio-Signature does not match");
        new TwilioStatusCallback(receipts, clock).handle(form);
        return ResponseEntity.noContent().build();
    }

    /**
     * A person following the link from a browser, or a mail scanner or link preview fetching it: a page that asks,
     * with a button that POSTs. A GET changes nothing.
     */
    @GetMapping("/unsubscribe/{token}")
    @Operation(summary = "The unsubscribe confirmation page (HTML); changes nothing")
    @ProblemResponses({404})
    public ResponseEntity<String> unsubscribePage(@PathVariable String token,
                                                  @RequestHeader(value = "Accept", required = false) String accept) {
        UnsubscribeScope scope = unsubscribeLinks.open(token).orElse(null);
        if (scope != null) return UnsubscribePage.confirm(scope.category());
        // a browser gets a page; a program (no Accept: text/html) gets the API's problem+json
        if (accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)) return UnsubscribePage.invalid();
        throw ApiProblem.notFound("unsubscribe link");
    }

    /**
     * One-click unsubscribe (RFC 8058): mail clients POST {@code List-Unsubscribe=One-Click} here without user
     * interaction, and the confirmation page's button posts the same. Answers JSON, or a page to a browser; never
     * redirects anywhere.
     */
    @PostMapping("/unsubscribe/{token}")
    @Operation(summary = "One-click unsubscribe (RFC 8058); JSON, or a page when the client accepts text/html")
    @ApiResponse(responseCode = "200", description = "unsubscribed", content = {
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = Unsubscribed.class)),
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/html", schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string"))})
    @ProblemResponses({404})
    public ResponseEntity<?> unsubscribe(@PathVariable String token, @RequestHeader(value = "Accept", required = false) String accept) {
        boolean browser = accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
        UnsubscribeScope scope = unsubscribeLinks.open(token).orElse(null);
        if (scope == null) {
            if (browser) return UnsubscribePage.invalid();
            throw ApiProblem.notFound("unsubscribe link");
        }
        int changed = scope.userId() != null
                ? (users.optOutEmail(scope.appId(), scope.userId(), scope.category(), clock.instant()) ? 1 : 0)
                : users.optOutEmailAddress(scope.appId(), scope.address(), scope.category(), clock.instant());
        // intake reads preferences through the cache: the opt-out must count from the very next send
        if (scope.userId() != null) cache.invalidate(scope.appId(), scope.userId());
        else
            cache.invalidateApp(scope.appId());
        if (browser) return UnsubscribePage.done(scope.category());
        return ResponseEntity.ok(new Unsubscribed(true, Channel.EMAIL, scope.category(), changed));
    }

    /** @param publicKey URL-safe base64 of the uncompressed P-256 public key */
    public record VapidKey(String publicKey) {
    }

    /** The VAPID public key front-ends pass to pushManager.subscribe({applicationServerKey}). */
    @GetMapping("/webpush/vapid-public-key")
    @ProblemResponses({404})
    public VapidKey vapidPublicKey() {
        WebPushProvider p = providers.webPush();
        if (p == null) throw ApiProblem.notFound("Web Push (it is not configured: set herald.providers.webpush.subject)");
        return new VapidKey(p.vapidPublicKey());
    }
}
