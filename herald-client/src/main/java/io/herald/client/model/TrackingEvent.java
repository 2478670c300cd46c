package io.herald.client.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An engagement event to record on a notification ({@code POST /v1/notifications/{id}/events}).
 *
 * @param at     when it happened; null: when Herald receives it
 * @param detail optional free text kept in the history (e.g. the link clicked)
 */
public record TrackingEvent(TrackingEventType type, Instant at, String detail) {

    public TrackingEvent {
        Objects.requireNonNull(type, "type");
    }

    public static TrackingEvent of(TrackingEventType type) {
        return new TrackingEvent(type, null, null);
    }

    public TrackingEvent at(Instant when) {
        return new TrackingEvent(type, when, detail);
    }

    public TrackingEvent detail(String text) {
        return new TrackingEvent(type, at, text);
    }
}
