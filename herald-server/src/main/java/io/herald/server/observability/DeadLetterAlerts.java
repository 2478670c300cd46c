package io.herald.server.observability;

import io.herald.core.dispatch.DispatchListener;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.net.OutboundGuard;
import io.herald.core.net.OutboundRefusedException;
import io.herald.core.queue.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Tells operators when notifications run out of retries: an ERROR log line and, when configured, a JSON webhook.
 * Throttled per channel (one alert per interval, carrying the count since the last), so an outage is one
 * page, not a million.
 */
public final class DeadLetterAlerts implements DispatchListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterAlerts.class);

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private final URI webhook;
    private final Duration minInterval;
    private final Clock clock;
    private final OutboundGuard guard;
    // no redirects: a hook must not bounce the alert to an address the guard did not check. None without a hook: a
    // client's TLS set-up costs a tenth of a second of the server's start.
    private final HttpClient http;
    private final Map<Channel, Instant> lastAlert = new EnumMap<>(Channel.class);
    private final Map<Channel, Integer> pending = new EnumMap<>(Channel.class);

    /** @throws IllegalArgumentException when the hook is not https or points inside and its host is not allowed */
    public DeadLetterAlerts(String webhookUrl, Duration minInterval, Clock clock, OutboundGuard guard) {
        boolean none = webhookUrl == null || webhookUrl.isBlank();
        if (!none) {
            guard.problemWith(webhookUrl).ifPresent(p -> {
                throw new IllegalArgumentException(
                        "herald.alerts.webhook-url " + p + " (or list its host in herald.outbound.allowed-hosts)");
            });
        }
        this.webhook = none ? null : URI.create(webhookUrl);
        this.http = none
                ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.minInterval = minInterval;
        this.clock = clock;
        this.guard = guard;
    }

    @Override
    public void transition(Channel channel, Priority priority, Transition t, Duration sinceAccepted) {
        if (!t.deadLetter()) return;
        int count;
        synchronized (this) {
            pending.merge(channel, 1, Integer::sum);
            Instant now = clock.instant();
            Instant last = lastAlert.get(channel);
            if (last != null && Duration.between(last, now).compareTo(minInterval) < 0) return;
            lastAlert.put(channel, now);
            count = pending.remove(channel);
        }
        log.error("ALERT {} notification(s) on {} exhausted their retries; latest {} via {}: {}", count, channel, t.id(),
                t.provider(), t.detail());
        if (webhook != null) post(channel, count, t);
    }

    private void post(Channel channel, int count, Transition t) {
        try {
            guard.checkBeforeConnect(webhook); // the name may resolve elsewhere now than at start-up
        } catch (OutboundRefusedException | java.net.UnknownHostException e) {
            log.warn("alert webhook not called: {}", e.getMessage());
            return;
        }
        var alert = new java.util.LinkedHashMap<String, Object>();
        alert.put("alert", "dead_letters");
        alert.put("channel", channel.name());
        alert.put("count", count);
        alert.put("latestNotificationId", t.id().toString());
        alert.put("provider", t.provider());
        alert.put("detail", t.detail());
        alert.put("at", t.at().toString());
        String body = JSON.writeValueAsString(alert);
        HttpRequest req = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            if (e != null) log.warn("alert webhook failed: {}", e.toString());
            else if (r.statusCode() >= 300) log.warn("alert webhook answered {}", r.statusCode());
        });
    }

    @Override
    public void close() {
        if (http != null) http.close();
    }
}
