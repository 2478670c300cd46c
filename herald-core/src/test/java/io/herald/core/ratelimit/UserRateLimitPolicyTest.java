package io.herald.core.ratelimit;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.policy.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserRateLimitPolicyTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private final UserRateLimitPolicy policy = new UserRateLimitPolicy(RateLimitSettings.defaults(), new InMemoryRateLimiter(clock));

    @Test
    void aBurstOf300MarketingSendsToOneUserPassesExactlyTheDefaultThree() {
        int passed = 0;
        Verdict last = null;
        for (int i = 0; i < 300; i++) {
            last = policy.decide(7, "u-42", Channel.PUSH, "marketing", clock.instant());
            if (last == Verdict.PROCEED) passed++;
            clock.advance(Duration.ofSeconds(1)); // 300 sends over 5 minutes: no refill (1 per 8 hours)
        }

        assertThat(passed).isEqualTo(3);
        assertThat(last).isInstanceOfSatisfying(Verdict.Suppress.class, s -> {
            assertThat(s.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(s.detail()).startsWith("rate limit of marketing on PUSH (3 per 1 day per user) reached; next allowed in 7h");
        });
        // other channels, users and apps have their own buckets
        assertThat(policy.decide(7, "u-42", Channel.EMAIL, "marketing", clock.instant())).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decide(7, "u-43", Channel.PUSH, "marketing", clock.instant())).isEqualTo(Verdict.PROCEED);
        assertThat(policy.decide(8, "u-42", Channel.PUSH, "marketing", clock.instant())).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void dropSuppressesWhileDeferHoldsUntilTheReservedTokenThenDrops() {
        RateLimitSettings settings = new RateLimitSettings(true, Map.of(
                "otp", CategoryLimit.drop(Limit.perHour(1)),
                "receipt", CategoryLimit.defer(Limit.perHour(1), Duration.ofHours(2))), CategoryLimit.drop(Limit.perDay(100)));
        UserRateLimitPolicy p = new UserRateLimitPolicy(settings, new InMemoryRateLimiter(clock));
        Instant now = clock.instant();

        assertThat(p.decide(1, "u", Channel.SMS, "otp", now)).isEqualTo(Verdict.PROCEED);
        assertThat(p.decide(1, "u", Channel.SMS, "otp", now)).isInstanceOfSatisfying(Verdict.Suppress.class,
                s -> assertThat(s.reason()).isEqualTo(Reason.RATE_LIMITED));

        assertThat(p.decide(1, "u", Channel.SMS, "receipt", now)).isEqualTo(Verdict.PROCEED);
        assertThat(p.decide(1, "u", Channel.SMS, "receipt", now)).isEqualTo(new Verdict.Defer(now.plus(Duration.ofHours(1)),
                "rate limit of receipt on SMS (1 per 1 hour per user) reached; deferred by 60m"));
        assertThat(p.decide(1, "u", Channel.SMS, "receipt", now)).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.until()).isEqualTo(now.plus(Duration.ofHours(2))));
        assertThat(p.decide(1, "u", Channel.SMS, "receipt", now)).isInstanceOfSatisfying(Verdict.Suppress.class,
                s -> assertThat(s.detail()).contains("backlog is over 2h 0m"));
    }

    @Test
    void disabledSettingsLetEverythingThrough() {
        UserRateLimitPolicy off = new UserRateLimitPolicy(RateLimitSettings.disabled(), new InMemoryRateLimiter(clock));

        for (int i = 0; i < 50; i++) assertThat(off.decide(1, "u", Channel.SMS, "marketing", clock.instant())).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void keysCannotCollideThroughSeparatorsAndAddressesAreHashed() {
        assertThat(UserRateLimitPolicy.userKey(1, "a:ch:PUSH:cat:b", Channel.SMS, "c"))
                .isNotEqualTo(UserRateLimitPolicy.userKey(1, "a", Channel.PUSH, "b:ch:SMS:cat:c"))
                .isEqualTo("app:1:user:a%3Ach%3APUSH%3Acat%3Ab:ch:SMS:cat:c");
        assertThat(UserRateLimitPolicy.addressKey(1, "+821012345678", Channel.SMS, null))
                .doesNotContain("821012345678").startsWith("app:1:addr:").endsWith(":ch:SMS:cat:-");
    }

    @Test
    void oneOffAddressesAreLimitedLikeUsers() {
        for (int i = 0; i < 10; i++) {
            assertThat(policy.decideForAddress(1, "+821012345678", Channel.SMS, "security", clock.instant())).isEqualTo(Verdict.PROCEED);
        }
        assertThat(policy.decideForAddress(1, "+821012345678", Channel.SMS, "security", clock.instant()))
                .isInstanceOf(Verdict.Suppress.class);
    }
}
