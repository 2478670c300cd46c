package io.herald.server.api;

import io.herald.core.model.Channel;
import io.herald.postgres.NotificationQueries;
import io.herald.postgres.PostgresUserStore;
import io.herald.providers.email.SealedUnsubscribeLinks;
import io.herald.providers.email.UnsubscribeScope;
import io.herald.providers.sms.TwilioSignature;
import io.herald.providers.sms.TwilioStatusCallback;
import io.herald.providers.webpush.WebPushProvider;
import io.herald.server.config.PublicProperties;
import io.herald.server.config.RealProviderProperties;
import io.herald.server.runtime.CachedUserDirectory;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
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

    private final NotificationQueries receipts;
    private final PostgresUserStore users;
    private final SealedUnsubscribeLinks unsubscribeLinks;
    private final RealProviderProperties providers;
    private final PublicProperties pub;
    private final ObjectProvider<WebPushProvider> webPush;
    private final Clock clock;
    private final CachedUserDirectory cache;

    public CallbacksController(NotificationQueries receipts, PostgresUserStore users, SealedUnsubscribeLinks unsubscribeLinks,
                               RealProviderProperties providers, PublicProperties pub, ObjectProvider<WebPushProvider> webPush, Clock clock,
                               CachedUserDirectory cache) {
        this.receipts = receipts;
        this.users = users;
        this.cache = cache;
        this.unsubscribeLinks = unsubscribeLinks;
        this.providers = providers;
        this.pub = pub;
        this.webPush = webPush;
        this.clock = clock;
    }

    /** Twilio's message status callback: delivered / undelivered / failed become history events. */
    @PostMapping(value = "/webhooks/twilio/status", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Void> twilioStatus(HttpServletRequest req) {
        var twilio = providers.twilio();
        if (twilio == null || twilio.authToken() == null) throw ApiProblem.notFound("Twilio callbacks (Twilio is not configured)");
        Map<String, String> form = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> form.put(k, v.length == 0 ? "" : v[0]));
        // Twilio signs the URL it called: the configured callback URL, else our public base URL + path
        String url = twilio.statusCallbackUrl() != null ? twilio.statusCallbackUrl().toString() : pub.baseUrl() + req.getRequestURI();
        if (!new TwilioSignature(twilio.authToken()).isValidSingle(url, form, req.getHeader("X-Twilio-Signature"))) {
            throw ApiProblem.forbidden("X-Twilio-Signature does not match");
        }
        new TwilioStatusCallback(receipts, clock).handle(form);
        return ResponseEntity.noContent().build();
    }

    /**
     * A person following the link from a browser, or a mail scanner or link preview fetching it: a page that asks,
     * with a button that POSTs. A GET changes nothing.
     */
    @GetMapping("/unsubscribe/{token}")
    public ResponseEntity<String> unsubscribePage(@PathVariable String token) {
        return unsubscribeLinks.open(token).map(scope -> UnsubscribePage.confirm(scope.category()))
                .orElseGet(UnsubscribePage::invalid);
    }

    /**
     * One-click unsubscribe (RFC 8058): mail clients POST {@code List-Unsubscribe=One-Click} here without user
     * interaction, and the confirmation page's button posts the same. Answers JSON, or a page to a browser; never
     * redirects anywhere.
     */
    @PostMapping("/unsubscribe/{token}")
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
        else cache.invalidateApp(scope.appId());
        if (browser) return UnsubscribePage.done(scope.category());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("unsubscribed", true);
        body.put("channel", Channel.EMAIL);
        if (scope.category() != null) body.put("category", scope.category());
        body.put("usersUpdated", changed);
        return ResponseEntity.ok(body);
    }

    /** The VAPID public key front-ends pass to pushManager.subscribe({applicationServerKey}). */
    @GetMapping("/webpush/vapid-public-key")
    public Map<String, String> vapidPublicKey() {
        WebPushProvider p = webPush.getIfAvailable();
        if (p == null) throw ApiProblem.notFound("Web Push (it is not configured: set herald.providers.webpush.subject)");
        return Map.of("publicKey", p.vapidPublicKey());
    }
}
