package io.herald.core.preference;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class QuietHoursTest {

    private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0));
    private static final QuietHours LUNCH = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0));
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    @Test
    void windowCrossingMidnightCoversBothEveningAndMorning() {
        assertThat(NIGHT.endOfWindowContaining(at("2026-11-23T23:30", SEOUL), SEOUL)).contains(at("2026-11-24T08:00", SEOUL));
        assertThat(NIGHT.endOfWindowContaining(at("2026-11-24T03:00", SEOUL), SEOUL)).contains(at("2026-11-24T08:00", SEOUL));
        assertThat(NIGHT.endOfWindowContaining(at("2026-11-23T22:00", SEOUL), SEOUL)).contains(at("2026-11-24T08:00", SEOUL));
        assertThat(NIGHT.endOfWindowContaining(at("2026-11-24T08:00", SEOUL), SEOUL)).isEmpty(); // end is exclusive
        assertThat(NIGHT.endOfWindowContaining(at("2026-11-24T21:59", SEOUL), SEOUL)).isEmpty();
    }

    @Test
    void sameDayWindow() {
        assertThat(LUNCH.endOfWindowContaining(at("2026-11-23T12:30", SEOUL), SEOUL)).contains(at("2026-11-23T13:00", SEOUL));
        assertThat(LUNCH.endOfWindowContaining(at("2026-11-23T11:59", SEOUL), SEOUL)).isEmpty();
        assertThat(new QuietHours(LocalTime.NOON, LocalTime.NOON).endOfWindowContaining(at("2026-11-23T12:00", SEOUL), SEOUL)).isEmpty();
    }

    @Test
    void theSameInstantIsQuietInOneZoneAndNotInAnother() {
        Instant instant = Instant.parse("2026-11-23T14:30:00Z"); // 23:30 Seoul, 09:30 New York

        assertThat(NIGHT.endOfWindowContaining(instant, SEOUL)).contains(Instant.parse("2026-11-23T23:00:00Z"));
        assertThat(NIGHT.endOfWindowContaining(instant, NEW_YORK)).isEmpty();
    }

    @Test
    void springForwardNightIsAnHourShorterInRealTime() {
        // 2026-03-08 02:00 EST -> 03:00 EDT in New York
        Optional<Instant> end = NIGHT.endOfWindowContaining(at("2026-03-07T23:00", NEW_YORK), NEW_YORK);

        assertThat(end).contains(Instant.parse("2026-03-08T12:00:00Z")); // 08:00 EDT (UTC-4)
        assertThat(java.time.Duration.between(at("2026-03-07T23:00", NEW_YORK), end.orElseThrow())).hasHours(8);
    }

    @Test
    void anEndTimeInsideTheSpringGapResolvesAfterTheGap() {
        QuietHours untilHalfTwo = new QuietHours(LocalTime.of(22, 0), LocalTime.of(2, 30)); // 02:30 does not exist on 2026-03-08

        assertThat(untilHalfTwo.endOfWindowContaining(at("2026-03-07T23:00", NEW_YORK), NEW_YORK))
                .contains(Instant.parse("2026-03-08T07:30:00Z")); // 03:30 EDT
    }

    @Test
    void anEndTimeInsideTheFallBackOverlapIsNeverInThePast() {
        // 2026-11-01 02:00 EDT -> 01:00 EST: 01:00-01:59 happens twice
        QuietHours untilHalfOne = new QuietHours(LocalTime.of(0, 0), LocalTime.of(1, 30));
        Instant secondOneTen = Instant.parse("2026-11-01T06:10:00Z"); // 01:10 EST, the second pass

        assertThat(untilHalfOne.endOfWindowContaining(secondOneTen, NEW_YORK)).contains(Instant.parse("2026-11-01T06:30:00Z"));
        Instant firstOneTen = Instant.parse("2026-11-01T05:10:00Z"); // 01:10 EDT, the first pass
        assertThat(untilHalfOne.endOfWindowContaining(firstOneTen, NEW_YORK)).contains(Instant.parse("2026-11-01T05:30:00Z"));
    }
}
