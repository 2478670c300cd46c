package io.herald.server.engagement;

import io.herald.core.engagement.EngagementStore;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.trace.TrackingEvent;
import io.herald.providers.email.SendGridEventSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies SendGrid's (already verified) event webhook: delivery receipts, bounces and drops become history events
 * and statuses; hard bounces and spam reports put the address on the app's suppression list; opens and clicks are
 * recorded once, SendGrid's machine opens flagged. Events are matched by the notification id Herald sent in
 * {@code custom_args}; events without one (mail not sent by Herald) are ignored.
 */
public final class SendGridEvents {

    private static final Logger log = LoggerFactory.getLogger(SendGridEvents.class);
    static final String PROVIDER = "sendgrid";

    /** What one call changed, for the response and the tests. */
    public record Outcome(int applied, int ignored, int suppressed) {
    }

    private final EngagementStore store;
    private final SendGridEventSignature signature;
    private final Runnable suppressionsChanged;

    /** @param signature null when no verification key is configured */
    public SendGridEvents(EngagementStore store, SendGridEventSignature signature, Runnable suppressionsChanged) {
        this.store = store;
        this.signature = signature;
        this.suppressionsChanged = suppressionsChanged;
    }

    public boolean configured() {
        return signature != null;
    }

    public boolean verified(String sig, String timestamp, byte[] body) {
        return signature != null && signature.isValid(sig, timestamp, body);
    }

    public Outcome apply(JsonNode events, Instant now) {
        int applied = 0, ignored = 0, suppressed = 0;
        for (JsonNode e : events) {
            UUID id = notificationId(e).orElse(null);
            if (id == null) {
                ignored++;
                continue;
            }
            Instant at = e.path("timestamp").canConvertToLong() ? Instant.ofEpochSecond(e.path("timestamp").asLong()) : now;
            String type = e.path("event").asString("");
            String email = e.path("email").asString(null);
            String why = firstText(e, "reason", "response", "status");
            boolean done;
            switch (type) {
                case "delivered" -> done = store.receipt(id, PROVIDER, Status.DELIVERED, null, at, detail("delivered", why)).isPresent();
                case "bounce" -> {
                    // "blocked" is SendGrid's soft bounce: the address is fine, this message was refused
                    boolean hard = !"blocked".equals(e.path("type").asString("bounce"));
                    store.receipt(id, PROVIDER, Status.FAILED, hard ? Reason.INVALID_RECIPIENT : Reason.PROVIDER_REJECTED, at,
                            detail(hard ? "hard bounce" : "blocked", why));
                    done = true;
                    if (hard && suppress(id, email, "HARD_BOUNCE", why, now)) suppressed++;
                }
                case "dropped" ->
                    done = store.receipt(id, PROVIDER, Status.FAILED, Reason.PROVIDER_REJECTED, at, detail("dropped", why)).isPresent();
                case "spamreport" -> {
                    done = true;
                    if (suppress(id, email, "COMPLAINT", "spam report", now)) suppressed++;
                }
                case "open" -> {
                    boolean machine = e.path("sg_machine_open").asBoolean(false);
                    store.recordEngagement(id, TrackingEvent.OPENED, at, machine, machine ? "sendgrid: machine open" : "sendgrid");
                    done = true;
                }
                case "click" -> {
                    store.recordEngagement(id, TrackingEvent.CLICKED, at, false, "sendgrid");
                    done = true;
                }
                default -> done = false;
            }
            if (done) applied++;
            else
                ignored++;
        }
        if (suppressed > 0) suppressionsChanged.run();
        return new Outcome(applied, ignored, suppressed);
    }

    private boolean suppress(UUID id, String email, String reason, String detail, Instant now) {
        if (email == null || email.isBlank()) return false;
        return store.appOf(id).map(app -> {
            boolean added = store.suppress(app, email, reason, PROVIDER, detail, now);
            if (added) log.info("address suppressed for app {} after a SendGrid {}", app, reason.toLowerCase(java.util.Locale.ROOT));
            return added;
        }).orElse(false);
    }

    private static Optional<UUID> notificationId(JsonNode e) {
        String raw = e.path("herald_notification_id").asString(null);
        if (raw == null) raw = e.path("custom_args").path("herald_notification_id").asString(null);
        if (raw == null) return Optional.empty();
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    private static String firstText(JsonNode e, String... fields) {
        for (String f : fields) {
            String v = e.path(f).asString(null);
            if (v != null && !v.isBlank()) return v.length() > 500 ? v.substring(0, 500) : v;
        }
        return null;
    }

    private static String detail(String what, String why) {
        return "sendgrid: " + what + (why == null ? "" : " (" + why + ")");
    }
}
