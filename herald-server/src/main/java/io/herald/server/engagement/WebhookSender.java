package io.herald.server.engagement;

import io.herald.core.engagement.RetrySchedule;
import io.herald.core.engagement.StandardWebhooks;
import io.herald.core.engagement.WebhookStore;
import io.herald.core.net.OutboundGuard;
import io.herald.core.net.OutboundRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Delivers due status-webhook messages per the Standard Webhooks specification, retries failures on the schedule,
 * and disables an endpoint that failed for the whole schedule (with an operator alert). The URL is checked against
 * the outbound guard again at every connect, since DNS may have changed since the subscription was made.
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final int BATCH = 100;

    private final WebhookStore store;
    private final OutboundGuard guard;
    private final RetrySchedule schedule;
    private final Duration timeout;
    private final OperatorAlert alert;
    private final Clock clock;
    // no redirects: a 3xx would send the signed payload to an address the guard did not check
    private final HttpClient http;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    /** Tells operators that an endpoint was disabled. */
    public interface OperatorAlert {
        void webhookDisabled(long appId, java.util.UUID subscriptionId, String reason);
    }

    public WebhookSender(WebhookStore store, OutboundGuard guard, RetrySchedule schedule, Duration timeout,
                         OperatorAlert alert, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.schedule = schedule;
        this.timeout = timeout;
        this.alert = alert;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends what is due now; @return how many deliveries were attempted */
    public int runOnce() {
        Instant now = clock.instant();
        // the lease outlives the longest attempt, so a live sender's delivery is never taken by another
        List<WebhookStore.Claimed> due = store.claim(BATCH, now, timeout.multipliedBy(3).plusSeconds(5));
        List<Future<?>> running = new ArrayList<>(due.size());
        for (var d : due) running.add(senders.submit(() -> deliver(d)));
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                log.error("webhook delivery failed unexpectedly", e.getCause());
            }
        }
        return due.size();
    }

    private void deliver(WebhookStore.Claimed d) {
        Instant sentAt = clock.instant();
        long timestamp = sentAt.getEpochSecond();
        Integer status = null;
        String error;
        try {
            URI uri = URI.create(d.url());
            guard.checkBeforeConnect(uri);
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Herald-Webhooks/1")
                    .header("webhook-id", d.id())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", StandardWebhooks.signature(d.secret(), d.id(), timestamp, d.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            if (status >= 200 && status < 300) {
                store.delivered(d.id(), status, clock.instant());
                return;
            }
            error = "endpoint answered " + status;
        } catch (OutboundRefusedException e) {
            error = "refused by the outbound guard: " + e.getMessage();
        } catch (java.io.IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the lease ends and another sender tries again
        }
        Instant now = clock.instant();
        var retryIn = schedule.after(d.attempts());
        store.failed(d.id(), status, error, retryIn.map(now::plus).orElse(null));
        if (retryIn.isEmpty()) {
            String reason = "every delivery attempt failed for " + schedule.total() + " (last: " + error + ")";
            store.disableIfDead(d.subscriptionId(), d.createdAt(), reason, now)
                    .ifPresent(app -> alert.webhookDisabled(app, d.subscriptionId(), reason));
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        http.close();
    }
}
