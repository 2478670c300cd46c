package io.herald.core.ratelimit;

import io.herald.core.ratelimit.RateLimiter.Decision;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

    @Test
    void burstThenSmoothRefillFromTheClock() {
        Limit threePerHour = Limit.perHour(3);
        for (int i = 0; i < 3; i++) assertThat(limiter.tryConsume("k", threePerHour)).isEqualTo(Decision.CONSUMED);

        Decision rejected = limiter.tryConsume("k", threePerHour);
        assertThat(rejected.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(rejected.delay()).isEqualTo(Duration.ofMinutes(20)); // one token per 20 minutes

        clock.advance(Duration.ofMinutes(19));
        assertThat(limiter.tryConsume("k", threePerHour).granted()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.tryConsume("k", threePerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(limiter.tryConsume("k", threePerHour).granted()).isFalse();

        clock.advance(Duration.ofDays(1)); // refill never exceeds the burst
        for (int i = 0; i < 3; i++) assertThat(limiter.tryConsume("k", threePerHour).granted()).isTrue();
        assertThat(limiter.tryConsume("k", threePerHour).granted()).isFalse();
    }

    @Test
    void keysAndLimitShapesHaveSeparateBuckets() {
        limiter.tryConsume("a", Limit.perHour(1));

        assertThat(limiter.tryConsume("a", Limit.perHour(1)).granted()).isFalse();
        assertThat(limiter.tryConsume("b", Limit.perHour(1)).granted()).isTrue();
        assertThat(limiter.tryConsume("a", Limit.perHour(2)).granted()).isTrue(); // a changed limit starts fresh
    }

    @Test
    void acquireReservesFutureTokensInOrderUpToMaxWait() {
        Limit twoPerHour = Limit.perHour(2);
        Duration maxWait = Duration.ofHours(1);

        assertThat(limiter.acquire("k", twoPerHour, maxWait)).isEqualTo(Decision.CONSUMED);
        assertThat(limiter.acquire("k", twoPerHour, maxWait)).isEqualTo(Decision.CONSUMED);
        assertThat(limiter.acquire("k", twoPerHour, maxWait)).isEqualTo(Decision.reserved(Duration.ofMinutes(30)));
        assertThat(limiter.acquire("k", twoPerHour, maxWait)).isEqualTo(Decision.reserved(Duration.ofMinutes(60)));
        Decision tooFar = limiter.acquire("k", twoPerHour, maxWait);
        assertThat(tooFar.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(tooFar.delay()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void fullBucketsAreEvictedPastTheCap() {
        InMemoryRateLimiter small = new InMemoryRateLimiter(clock, 2);
        small.tryConsume("busy", Limit.perHour(1));
        clock.advance(Duration.ofHours(2));
        small.tryConsume("x", Limit.perHour(5));
        small.tryConsume("y", Limit.perHour(5)); // 3 buckets > 2: only "busy" is full again, so it goes

        assertThat(small.size()).isEqualTo(2);
    }
}
