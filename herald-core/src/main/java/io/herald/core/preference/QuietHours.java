package io.herald.core.preference;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A daily window in the user's timezone; may cross midnight (22:00-08:00). The start is inside the window, the end
 * is not. A window whose start equals its end is empty (it silences nothing).
 */
public record QuietHours(LocalTime start, LocalTime end) {

    /**
     * When the window that contains {@code now} ends, or empty when {@code now} is outside every window.
     * Computed on the user's wall clock: on a DST change the window keeps its local times, a local end time that
     * does not exist that day (spring forward) resolves to the first instant after the gap, and the result is
     * always after {@code now}.
     */
    public Optional<Instant> endOfWindowContaining(Instant now, ZoneId zone) {
        if (start.equals(end)) return Optional.empty();
        ZonedDateTime here = now.atZone(zone);
        LocalTime t = here.toLocalTime();
        LocalDate today = here.toLocalDate();
        LocalDate endDay;
        if (start.isBefore(end)) {
            if (t.isBefore(start) || !t.isBefore(end)) return Optional.empty();
            endDay = today;
        } else if (!t.isBefore(start)) {
            endDay = today.plusDays(1); // evening part of a window crossing midnight
        } else if (t.isBefore(end)) {
            endDay = today; // morning part
        } else {
            return Optional.empty();
        }
        ZonedDateTime until = ZonedDateTime.of(endDay, end, zone);
        // an end time inside a fall-back overlap exists twice; the earlier may already be past
        if (!until.toInstant().isAfter(now)) until = until.withLaterOffsetAtOverlap();
        return until.toInstant().isAfter(now) ? Optional.of(until.toInstant()) : Optional.empty();
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
