package io.herald.redis.ratelimit;

import io.herald.core.ratelimit.FailoverRateLimiter;
import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter.Decision;
import io.herald.redis.RedisEngine;
import io.herald.redis.RedisSettings;
import io.herald.redis.RedisUnavailableException;
import io.herald.redis.TwoProcesses;
import io.herald.testkit.SettableClock;
import io.herald.testkit.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Buckets expire; kill -9 of Redis falls back at once; a restarted Redis (which forgot the script) is used again by itself. */
class RedisRateLimiterOutageTest {

    private static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private static TestRedis server;
    private static RedisEngine engine;

    @BeforeAll
    static void start() {
        server = TestRedis.start();
        engine = new RedisEngine(TwoProcesses.settings(server));
    }

    @AfterAll
    static void stop() {
        engine.close();
        server.close();
    }

    @Test
    void aBucketExpiresAMinuteAfterItWouldBeFullAgain() {
        new RedisRateLimiter(engine, CLOCK).tryConsume("expiry", Limit.perHour(2)); // one token back in 30 min

        long ttl = engine.call(c -> c.pttl(RedisRateLimiter.PREFIX + "expiry|" + Limit.perHour(2).id()));

        // the script rounds the floating-point refill time up to whole milliseconds, so it may come out 1 ms over
        assertThat(ttl).isBetween(Duration.ofMinutes(31).toMillis() - 5_000, Duration.ofMinutes(31).toMillis() + 1);
    }

    @Test
    void killedRedisFallsBackAtOnceAndARestartedOneIsUsedAgainByItself() throws Exception {
        RedisRateLimiter redis = new RedisRateLimiter(engine, CLOCK);
        FailoverRateLimiter limiter = new FailoverRateLimiter(redis, new InMemoryRateLimiter(CLOCK), "test limits");
        Limit onePerDay = Limit.perDay(1);
        assertThat(limiter.tryConsume("outage", onePerDay)).isEqualTo(Decision.CONSUMED);
        assertThat(limiter.tryConsume("outage", onePerDay).granted()).isFalse();

        server.kill();
        long before = System.nanoTime();
        assertThatThrownBy(() -> redis.tryConsume("outage", onePerDay)).isInstanceOf(RedisUnavailableException.class);
        // the fallback's bucket is its own: it starts full (accuracy lost for the outage, no send failed)
        assertThat(limiter.tryConsume("outage", onePerDay)).isEqualTo(Decision.CONSUMED);
        assertThat(limiter.tryConsume("outage", onePerDay).granted()).isFalse();
        assertThat(limiter.failingOver()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2)); // no timeout per call

        CountDownLatch reconnected = new CountDownLatch(1);
        engine.onConnected(reconnected::countDown);
        server.restart(); // empty, and without the script loaded
        assertThat(reconnected.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(limiter.tryConsume("outage", onePerDay)).isEqualTo(Decision.CONSUMED);
        assertThat(limiter.failingOver()).isFalse();
        assertThat(redis.tryConsume("outage", onePerDay).granted()).isFalse();
    }

}
