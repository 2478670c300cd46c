package io.herald.redis.ratelimit;

import io.herald.core.ratelimit.RateLimiter;
import io.herald.redis.TwoProcesses;
import io.herald.testkit.contract.RateLimiterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Clock;
import java.util.List;

/** The Redis engine against the shared limiter contract: two engines (two connections) stand for two processes. */
class RedisRateLimiterContractTest extends RateLimiterContract {

    private static TwoProcesses redis;

    @BeforeAll
    static void start() {
        redis = TwoProcesses.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Override
    protected List<RateLimiter> twoProcesses(Clock clock) {
        return List.of(new RedisRateLimiter(redis.a(), clock), new RedisRateLimiter(redis.b(), clock));
    }
}
