package io.herald.client.model;

import java.time.LocalTime;
import java.util.Objects;

/**
 * A daily window, in the user's timezone, during which non-urgent notifications wait; it may wrap midnight
 * (22:00 to 08:00).
 */
public record QuietHours(LocalTime start, LocalTime end) {

    public QuietHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    public static QuietHours of(String start, String end) {
        return new QuietHours(LocalTime.parse(start), LocalTime.parse(end));
    }
}
