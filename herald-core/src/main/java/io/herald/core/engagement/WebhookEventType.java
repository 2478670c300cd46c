package io.herald.core.engagement;

import java.util.Locale;
import java.util.Optional;

/** The event types an app can subscribe a status webhook to: one per outcome or engagement event of a notification. */
public enum WebhookEventType {
    SENT, DELIVERED, FAILED, SUPPRESSED, EXPIRED, CANCELLED, OPENED, CLICKED, CONVERTED;

    /** e.g. {@code notification.delivered} */
    public String apiName() {
        return "notification." + name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WebhookEventType> parse(String apiName) {
        for (WebhookEventType t : values()) if (t.apiName().equals(apiName)) return Optional.of(t);
        return Optional.empty();
    }

    /** The type of a history event's status (OPENED, CLICKED, CONVERTED are history statuses too), if any. */
    public static Optional<WebhookEventType> ofHistory(String status) {
        try {
            return Optional.of(valueOf(status));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
