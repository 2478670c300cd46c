package io.herald.core.intake;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Wall-clock delivery times per zone, across a day boundary and both DST changes. */
class LocalDeliveryTest {

    private static final LocalTime NINE = LocalTime.of(9, 0);

    @Test
    void aDatedLocalTimeIsThatWallClockTimeInEachZoneEvenMoreThanADayApart() {
        Instant now = Instant.parse("2026-12-20T00:00:00Z");
        LocalDelivery d = new LocalDelivery(NINE, LocalDate.of(2026, 12, 24));
        assertThat(d.resolve(ZoneId.of("Pacific/Kiritimati"), now)).isEqualTo(Instant.parse("2026-12-23T19:00:00Z")); // UTC+14
        assertThat(d.resolve(ZoneId.of("Asia/Seoul"), now)).isEqualTo(Instant.parse("2026-12-24T00:00:00Z"));
        assertThat(d.resolve(ZoneId.of("Europe/Paris"), now)).isEqualTo(Instant.parse("2026-12-24T08:00:00Z"));
        assertThat(d.resolve(ZoneId.of("Pacific/Pago_Pago"), now)).isEqualTo(Instant.parse("2026-12-24T20:00:00Z")); // UTC-11: 25 h after Kiritimati
    }

    @Test
    void withoutADateItIsTheNextTimeTheClockReadsIt() {
        LocalDelivery d = new LocalDelivery(NINE, null);
        // 08:00 in Seoul: later today
        assertThat(d.resolve(ZoneId.of("Asia/Seoul"), Instant.parse("2026-06-01T23:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));
        // 10:00 in Seoul: tomorrow
        assertThat(d.resolve(ZoneId.of("Asia/Seoul"), Instant.parse("2026-06-02T01:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-03T00:00:00Z"));
    }

    @Test
    void aTimeTheClockSkipsMovesForwardAndATimeItRepeatsTakesTheEarlierOffset() {
        ZoneId ny = ZoneId.of("America/New_York");
        Instant before = Instant.parse("2026-03-01T00:00:00Z");
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist: delivered at 03:30 EDT (07:30Z)
        assertThat(new LocalDelivery(LocalTime.of(2, 30), LocalDate.of(2026, 3, 8)).resolve(ny, before))
                .isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice: the first, in EDT (05:30Z)
        assertThat(new LocalDelivery(LocalTime.of(1, 30), LocalDate.of(2026, 11, 1)).resolve(ny, before))
                .isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));
        // 09:00 on either side of the change keeps its wall-clock time
        assertThat(new LocalDelivery(NINE, LocalDate.of(2026, 3, 7)).resolve(ny, before)).isEqualTo(Instant.parse("2026-03-07T14:00:00Z"));
        assertThat(new LocalDelivery(NINE, LocalDate.of(2026, 3, 9)).resolve(ny, before)).isEqualTo(Instant.parse("2026-03-09T13:00:00Z"));
    }

    @Test
    void aDateAlreadyPastInTheZoneMeansNow() {
        Instant now = Instant.parse("2026-12-24T12:00:00Z");
        LocalDelivery d = new LocalDelivery(NINE, LocalDate.of(2026, 12, 24));
        assertThat(d.resolve(ZoneId.of("Asia/Seoul"), now)).isEqualTo(now);
        assertThat(d.resolve(ZoneId.of("America/Los_Angeles"), now)).isEqualTo(Instant.parse("2026-12-24T17:00:00Z"));
    }
}
