package io.herald.server.engagement;

import io.herald.core.net.OutboundGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.UUID;

/**
 * Tells operators that a status webhook was disabled: an ERROR log line always, and a JSON POST to the operator alert
 * hook (herald.alerts.webhook-url) when one is configured.
 */
public final class WebhookDisabledAlerts implements WebhookSender.OperatorAlert, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDisabledAlerts.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI hook;
    private final OutboundGuard guard;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public WebhookDisabledAlerts(String hookUrl, OutboundGuard guard, Clock clock) {
        this.hook = hookUrl == null || hookUrl.isBlank() ? null : URI.create(hookUrl);
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public void webhookDisabled(long appId, UUID subscriptionId, String reason) {
        log.error("status webhook {} of app {} disabled: {}; POST /v1/webhooks/{}/replay re-enables it", subscriptionId, appId, reason,
                subscriptionId);
        if (hook == null) return;
        var alert = new LinkedHashMap<String, Object>();
        alert.put("alert", "webhook_disabled");
        alert.put("appId", appId);
        alert.put("webhookId", subscriptionId.toString());
        alert.put("reason", reason);
        alert.put("at", clock.instant().toString());
        try {
            guard.checkBeforeConnect(hook);
            HttpRequest req = HttpRequest.newBuilder(hook).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(alert))).build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e != null) log.warn("alert webhook failed: {}", e.toString());
            });
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("alert webhook not called: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
