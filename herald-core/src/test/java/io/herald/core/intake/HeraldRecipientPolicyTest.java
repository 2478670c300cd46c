package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.preference.PreferencePolicy;
import io.herald.core.preference.PreferenceSettings;
import io.herald.core.preference.Preferences;
import io.herald.core.preference.QuietHours;
import io.herald.core.ratelimit.CategoryLimit;
import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.MutableClock;
import io.herald.core.ratelimit.RateLimitSettings;
import io.herald.core.ratelimit.UserRateLimitPolicy;
import io.herald.core.user.UserProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HeraldRecipientPolicyTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final HeraldRecipientPolicy policy = new HeraldRecipientPolicy(PreferencePolicy.standard(PreferenceSettings.defaults()),
            new UserRateLimitPolicy(new RateLimitSettings(true, Map.of(
                    "social", CategoryLimit.drop(Limit.perHour(2)),
                    "transactional", CategoryLimit.defer(Limit.perHour(1), Duration.ofDays(1))),
                    CategoryLimit.drop(Limit.perHour(100))), new InMemoryRateLimiter(clock)));

    private static UserProfile user(Preferences p) {
        return new UserProfile(1, "u", null, null, null, ZoneOffset.UTC, Map.of(), p);
    }

    @Test
    void optedOutNotificationsConsumeNoToken() {
        UserProfile u = user(new Preferences(Map.of(Channel.SMS, false), Map.of(), null, false));
        for (int i = 0; i < 5; i++) {
            assertThat(policy.decide(u, Channel.SMS, "social", Priority.NORMAL, clock.instant(), false))
                    .isInstanceOfSatisfying(Verdict.Suppress.class, s -> assertThat(s.reason()).isEqualTo(Reason.OPTED_OUT));
        }
        UserProfile same = user(Preferences.NONE); // same user id, now accepting SMS: the full limit is still there
        assertThat(policy.decide(same, Channel.SMS, "social", Priority.NORMAL, clock.instant(), false)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decide(same, Channel.SMS, "social", Priority.NORMAL, clock.instant(), false)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decide(same, Channel.SMS, "social", Priority.NORMAL, clock.instant(), false))
                .isInstanceOfSatisfying(Verdict.Suppress.class, s -> assertThat(s.reason()).isEqualTo(Reason.RATE_LIMITED));
    }

    @Test
    void atDispatchRechecksPreferencesButConsumesNothing() {
        UserProfile u = user(Preferences.NONE);
        for (int i = 0; i < 10; i++) {
            assertThat(policy.decide(u, Channel.PUSH, "social", Priority.NORMAL, clock.instant(), true)).isEqualTo(Verdict.PROCEED);
        }
        assertThat(policy.decide(u, Channel.PUSH, "social", Priority.NORMAL, clock.instant(), false)).isEqualTo(Verdict.PROCEED);

        UserProfile changedMind = user(new Preferences(Map.of(), Map.of("social", Map.of(Channel.PUSH, false)), null, false));
        assertThat(policy.decide(changedMind, Channel.PUSH, "social", Priority.NORMAL, clock.instant(), true))
                .isEqualTo(new Verdict.Suppress(Reason.OPTED_OUT, "user opted out of social on PUSH"));
    }

    @Test
    void quietHoursAndARateLimitDeferralTakeTheLaterInstant() {
        UserProfile quiet = user(new Preferences(Map.of(), Map.of(), new QuietHours(LocalTime.of(11, 0), LocalTime.of(13, 0)), false));
        Instant now = clock.instant(); // 12:00 UTC, quiet until 13:00

        Verdict first = policy.decide(quiet, Channel.EMAIL, "transactional", Priority.NORMAL, now, false);
        Verdict second = policy.decide(quiet, Channel.EMAIL, "transactional", Priority.NORMAL, now, false);
        Verdict third = policy.decide(quiet, Channel.EMAIL, "transactional", Priority.NORMAL, now, false);

        assertThat(first).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.until()).isEqualTo(Instant.parse("2026-11-23T13:00:00Z")));
        assertThat(second).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.until()).isEqualTo(Instant.parse("2026-11-23T13:00:00Z")));
        assertThat(third).isInstanceOfSatisfying(Verdict.Defer.class, d -> {
            assertThat(d.until()).isEqualTo(Instant.parse("2026-11-23T14:00:00Z")); // the token reserved for 14:00 wins
            assertThat(d.detail()).contains("rate limit of transactional on EMAIL");
        });
    }

    @Test
    void oneOffSendsAreLimitedPerAddressLikeUsers() {
        Target phone = new Target.Phone("+14155550100");
        Instant now = clock.instant();

        assertThat(policy.decideForAddress(1, phone, "social", Priority.NORMAL, now)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decideForAddress(1, phone, "social", Priority.NORMAL, now)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decideForAddress(1, phone, "social", Priority.NORMAL, now)).isInstanceOfSatisfying(Verdict.Suppress.class, s -> {
            assertThat(s.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(s.detail()).startsWith("rate limit of social on SMS (2 per 1 hour per address) reached");
        });
        // DEFER holds the send rather than dropping it, as for a user
        assertThat(policy.decideForAddress(1, phone, "transactional", Priority.NORMAL, now)).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decideForAddress(1, phone, "transactional", Priority.NORMAL, now)).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.until()).isEqualTo(now.plus(Duration.ofHours(1))));
        // per-address buckets are separate from per-user ones
        assertThat(policy.decide(user(Preferences.NONE), Channel.SMS, "social", Priority.NORMAL, now, false)).isEqualTo(Verdict.PROCEED);
        assertThat(RecipientPolicy.ALLOW_ALL.decideForAddress(1, phone, "social", Priority.NORMAL, now)).isEqualTo(Verdict.PROCEED);
    }
}
