package io.herald.testkit.contract;

import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;
import io.herald.core.ratelimit.RateLimiter.Decision;
import io.herald.core.ratelimit.RateLimiter.Request;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link RateLimiter} engine must do, run against each one (in-memory, PostgreSQL, Redis): extend it in the
 * engine's module and say how to make two views of one engine. Shared engines give two "processes" (own connections
 * or pools over the same store); the in-memory engine gives the same instance twice. Keys are unique per test, so a
 * store shared by several test classes needs no cleaning.
 */
public abstract class RateLimiterContract {

    protected final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private RateLimiter a;
    private RateLimiter b;
    private String prefix;

    /** Two views of one engine reading {@code clock}, standing for two processes sharing its buckets. */
    protected abstract List<RateLimiter> twoProcesses(Clock clock);

    @BeforeEach
    void views() {
        List<RateLimiter> views = twoProcesses(clock);
        a = views.get(0);
        b = views.get(1);
        prefix = "contract:" + UUID.randomUUID() + ":";
    }

    private String key(String name) {
        return prefix + name;
    }

    @Test
    void takesUpToTheCapacityThenSaysWhenTheNextTokenIsDue() {
        Limit twoPerHour = Limit.perHour(2);
        assertThat(a.tryConsume(key("u"), twoPerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(b.tryConsume(key("u"), twoPerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(a.tryConsume(key("u"), twoPerHour)).isEqualTo(Decision.rejected(Duration.ofMinutes(30)));

        clock.advance(Duration.ofMinutes(30));
        assertThat(b.tryConsume(key("u"), twoPerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(a.tryConsume(key("u"), twoPerHour).granted()).isFalse();
    }

    @Test
    void reservationsGoIntoDebtUpToMaxWaitAndArePaidBackByRefill() {
        Limit twoPerHour = Limit.perHour(2);
        a.tryConsume(key("u"), twoPerHour);
        b.tryConsume(key("u"), twoPerHour);

        assertThat(b.acquire(key("u"), twoPerHour, Duration.ofHours(1))).isEqualTo(Decision.reserved(Duration.ofMinutes(30)));
        assertThat(a.acquire(key("u"), twoPerHour, Duration.ofHours(1))).isEqualTo(Decision.reserved(Duration.ofMinutes(60)));
        Decision third = b.acquire(key("u"), twoPerHour, Duration.ofHours(1));
        assertThat(third.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(third.delay()).isPositive();

        clock.advance(Duration.ofMinutes(90)); // pays the two reservations back and refills one token
        assertThat(b.tryConsume(key("u"), twoPerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(a.tryConsume(key("u"), twoPerHour).granted()).isFalse();
    }

    @Test
    void bucketsAreApartPerKeyAndPerLimitShape() {
        Limit one = Limit.perDay(1);
        assertThat(a.tryConsume(key("x"), one)).isEqualTo(Decision.CONSUMED);
        assertThat(b.tryConsume(key("x"), one).granted()).isFalse();
        assertThat(b.tryConsume(key("y"), one)).isEqualTo(Decision.CONSUMED);
        // a changed limit starts a fresh bucket of its own shape
        assertThat(a.tryConsume(key("x"), Limit.perDay(2))).isEqualTo(Decision.CONSUMED);
        assertThat(a.tryConsume(key("x"), new Limit(1, 1, Duration.ofHours(12)))).isEqualTo(Decision.CONSUMED);
    }

    @Test
    void acquireAllDecidesEachRequestAsAcquireWouldInListOrder() {
        Limit twoPerHour = Limit.perHour(2);
        List<Decision> decisions = a.acquireAll(List.of(
                new Request(key("p"), twoPerHour, Duration.ZERO),
                new Request(key("q"), twoPerHour, Duration.ZERO),
                new Request(key("p"), twoPerHour, Duration.ZERO),
                new Request(key("p"), twoPerHour, Duration.ZERO),
                new Request(key("p"), twoPerHour, Duration.ofHours(1))));

        assertThat(decisions).containsExactly(Decision.CONSUMED, Decision.CONSUMED, Decision.CONSUMED,
                Decision.rejected(Duration.ofMinutes(30)), Decision.reserved(Duration.ofMinutes(30)));
        // the other process sees the state the batch left
        assertThat(b.tryConsume(key("q"), twoPerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(b.tryConsume(key("q"), twoPerHour).granted()).isFalse();
        assertThat(b.acquire(key("p"), twoPerHour, Duration.ofHours(1))).isEqualTo(Decision.reserved(Duration.ofMinutes(60)));
        assertThat(a.acquireAll(List.of())).isEmpty();
    }

    @Test
    void twoProcessesTogetherNeverExceedTheCapacity() throws Exception {
        Limit fiftyPerDay = Limit.perDay(50);
        int threadsPerProcess = 4;
        int attemptsPerThread = 25; // 200 attempts on 50 tokens
        ExecutorService pool = Executors.newFixedThreadPool(threadsPerProcess * 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> granted = new ArrayList<>();
        try {
            for (int t = 0; t < threadsPerProcess * 2; t++) {
                RateLimiter limiter = t % 2 == 0 ? a : b;
                boolean batched = t % 4 < 2; // half of the threads ask in batches of one
                Callable<Integer> worker = () -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < attemptsPerThread; i++) {
                        Decision d = batched
                                ? limiter.acquireAll(List.of(new Request(key("shared"), fiftyPerDay, Duration.ZERO))).getFirst()
                                : limiter.tryConsume(key("shared"), fiftyPerDay);
                        if (d.granted()) n++;
                    }
                    return n;
                };
                granted.add(pool.submit(worker));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : granted) total += f.get(60, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }
}
