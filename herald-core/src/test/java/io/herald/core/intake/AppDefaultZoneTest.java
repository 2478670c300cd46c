package io.herald.core.intake;

import io.herald.core.model.Content;
import io.herald.core.model.Target;
import io.herald.core.preference.PreferencePolicy;
import io.herald.core.preference.PreferenceSettings;
import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.core.ratelimit.MutableClock;
import io.herald.core.ratelimit.RateLimitSettings;
import io.herald.core.ratelimit.UserRateLimitPolicy;
import io.herald.core.user.UserProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local-time delivery to a user without a timezone lands in the app's default zone, else the server's; a user's own
 * zone wins. Across both DST changes of America/New_York, with a settable clock.
 */
class AppDefaultZoneTest {

    private static final long NY_APP = 1, PLAIN_APP = 2;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final Map<Long, ZoneId> stored = new HashMap<>();
    private int reads;
    private final AppZones backing = new AppZones() {
        @Override
        public Optional<ZoneId> defaultZone(long appId) {
            reads++;
            return Optional.ofNullable(stored.get(appId));
        }

        @Override
        public void setDefaultZone(long appId, ZoneId zone, Instant now) {
            if (zone == null) stored.remove(appId);
            else
                stored.put(appId, zone);
        }
    };
    private final AppZones zones = new CachedAppZones(backing, Duration.ofMinutes(5));
    private final List<NewNotification> planned = new java.util.ArrayList<>();
    private final SendService intake = new SendService(new Users(), (key, version, locale, data) -> {
        throw new AssertionError("no templates in this test");
    }, new HeraldRecipientPolicy(PreferencePolicy.standard(PreferenceSettings.defaults()),
            new UserRateLimitPolicy(RateLimitSettings.defaults(), new InMemoryRateLimiter(clock))), new Capture(), WorkNotifier.NONE, clock,
            UUID::randomUUID, ZoneOffset.UTC, zones);

    private Instant deliveredAt(long appId, String userId, String time, LocalDate date) {
        planned.clear();
        intake.send(appId,
                new SendRequest(UUID.randomUUID().toString(), userId, List.of(), java.util.Set.of(io.herald.core.model.Channel.EMAIL), null,
                        null, null, null,
                        new Content(null, null, "s", null, "t", null, null), "transactional", null, null, null,
                        new LocalDelivery(LocalTime.parse(time), date)));
        assertThat(planned).hasSize(1);
        return planned.getFirst().dueAt();
    }

    @Test
    void aUserWithoutAZoneGetsTheAppsZoneAcrossBothDstChanges() {
        zones.setDefaultZone(NY_APP, ZoneId.of("America/New_York"), clock.instant());

        // the day before spring-forward: EST (UTC-5); 02:30 on 2026-03-08 does not exist: moved to 03:30 EDT
        assertThat(deliveredAt(NY_APP, "no-zone", "09:00", LocalDate.of(2026, 3, 7))).isEqualTo(Instant.parse("2026-03-07T14:00:00Z"));
        assertThat(deliveredAt(NY_APP, "no-zone", "02:30", LocalDate.of(2026, 3, 8))).isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
        assertThat(deliveredAt(NY_APP, "no-zone", "09:00", LocalDate.of(2026, 3, 9))).isEqualTo(Instant.parse("2026-03-09T13:00:00Z"));
        // fall-back: 01:30 on 2026-11-01 happens twice; the first (EDT) is taken
        clock.advance(Duration.ofDays(200));
        assertThat(deliveredAt(NY_APP, "no-zone", "01:30", LocalDate.of(2026, 11, 1))).isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));
        // without a date: the next 09:00 on the app's clock (clock is 2026-09-17T12:00Z = 08:00 EDT: today)
        assertThat(deliveredAt(NY_APP, "no-zone", "09:00", null)).isEqualTo(Instant.parse("2026-09-17T13:00:00Z"));
    }

    @Test
    void theUsersOwnZoneWinsAndAnAppWithoutOneUsesTheServersDefault() {
        zones.setDefaultZone(NY_APP, ZoneId.of("America/New_York"), clock.instant());
        LocalDate day = LocalDate.of(2026, 3, 10);

        assertThat(deliveredAt(NY_APP, "in-seoul", "09:00", day)).isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
        assertThat(deliveredAt(PLAIN_APP, "no-zone", "09:00", day)).isEqualTo(Instant.parse("2026-03-10T09:00:00Z"));
    }

    @Test
    void aChangedZoneAppliesAtOnceAndIsReadOnceWhileCached() {
        LocalDate day = LocalDate.of(2026, 3, 10);
        zones.setDefaultZone(NY_APP, ZoneId.of("America/New_York"), clock.instant());
        deliveredAt(NY_APP, "no-zone", "09:00", day);
        deliveredAt(NY_APP, "no-zone", "09:00", day);
        assertThat(reads).as("the second send reads the cached zone").isEqualTo(1);

        zones.setDefaultZone(NY_APP, ZoneId.of("Asia/Tokyo"), clock.instant());
        assertThat(deliveredAt(NY_APP, "no-zone", "09:00", day)).isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
        zones.setDefaultZone(NY_APP, null, clock.instant());
        assertThat(deliveredAt(NY_APP, "no-zone", "09:00", day)).as("cleared: the server default")
                .isEqualTo(Instant.parse("2026-03-10T09:00:00Z"));
    }

    /** Two users: one in Seoul, one without a timezone; both with an email address. */
    private static final class Users implements UserDirectory {
        public Optional<UserProfile> find(long appId, String userId) {
            ZoneId zone = userId.equals("in-seoul") ? ZoneId.of("Asia/Seoul") : null;
            return Optional.of(new UserProfile(appId, userId, userId + "@example.com", null, null, zone, null, null));
        }

        public List<Target.Device> activeDevices(long appId, String userId) {
            return List.of();
        }
    }

    /** Keeps what the intake planned; every send is new. */
    private final class Capture implements NotificationStore {
        public Optional<SendReceipt> findReceipt(long appId, String eventId) {
            return Optional.empty();
        }

        public List<Stored> acceptAll(List<Accepted> sends) {
            sends.forEach(a -> planned.addAll(a.notifications()));
            return sends.stream().map(a -> new Stored(a.receipt(), false)).toList();
        }
    }
}
