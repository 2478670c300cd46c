package io.herald.core.intake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Delivery at a wall-clock time in each recipient's own zone ({@code deliverAt: {localTime, date?}}).
 *
 * @param date null: the next time the clock reads {@code localTime} in the recipient's zone (today if still ahead)
 */
public record LocalDelivery(LocalTime localTime, LocalDate date) {

    public LocalDelivery {
        Objects.requireNonNull(localTime, "localTime");
    }

    /**
     * The instant for a recipient in {@code zone}. A local time that does not exist that day (the clock jumps over it)
     * moves forward by the length of the jump; one that happens twice (the clock falls back) takes the earlier offset,
     * so the recipient gets it the first time the clock reads it. A date already past in this zone means now.
     */
    public Instant resolve(ZoneId zone, Instant now) {
        LocalDate day = date != null ? date : LocalDate.ofInstant(now, zone);
        Instant at = ZonedDateTime.ofLocal(LocalDateTime.of(day, localTime), zone, null).toInstant();
        if (date == null && at.isBefore(now))
            at = ZonedDateTime.ofLocal(LocalDateTime.of(day.plusDays(1), localTime), zone, null).toInstant();
        return at.isBefore(now) ? now : at;
    }
}
