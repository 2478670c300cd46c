package io.herald.core.trace;

import io.herald.core.model.Status;

import java.util.Optional;

/** What an app, an SDK or the inbox reports about a notification after Herald handed it to a provider. */
public enum TrackingEvent {
    DELIVERED, OPENED, CLICKED, CONVERTED;

    /**
     * The status a notification has after this event. A delivery report moves SENT forward to DELIVERED, and so do
     * opens and clicks (an opened message was delivered); a conversion says nothing about delivery. Every other
     * status stays: a tracking event never revives a failed, cancelled or still queued notification.
     */
    public Status statusAfter(Status current) {
        return this != CONVERTED && current == Status.SENT ? Status.DELIVERED : current;
    }

    /** The event of that API name (exact, upper case), or empty. */
    public static Optional<TrackingEvent> parse(String name) {
        if (name == null) return Optional.empty();
        for (TrackingEvent e : values()) {
            if (e.name().equals(name)) return Optional.of(e);
        }
        return Optional.empty();
    }
}
