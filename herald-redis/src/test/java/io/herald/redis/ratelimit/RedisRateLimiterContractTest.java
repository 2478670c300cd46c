package io.herald.redis.ratelimit;

import io.herald.core.ratelimit.RateLimiter;
import io.herald.redis.RedisEngine;
import io.herald.redis.RedisSettings;
import io.herald.testkit.TestRedis;
import io.herald.testkit.contract.RateLimiterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Clock;
import java.util.List;

/** The Redis engine against the shared limiter contract: two engines (two connections) stand for two processes. */
class RedisRateLimiterContractTest extends RateLimiterContract {

    private static TestRedis server;
    private static RedisEngine processA;
    private static RedisEngine processB;

    @BeforeAll
    static void start() {
        server = TestRedis.start();
        processA = new RedisEngine(RedisSettings.of(server.url()));
        processB = new RedisEngine(RedisSettings.of(server.url()));
    }

    @AfterAll
    static void stop() {
        processA.close();
        processB.close();
        server.close();
    }

    @Override
    protected List<RateLimiter> twoProcesses(Clock clock) {
        return List.of(new RedisRateLimiter(processA, clock), new RedisRateLimiter(processB, clock));
    }
}
