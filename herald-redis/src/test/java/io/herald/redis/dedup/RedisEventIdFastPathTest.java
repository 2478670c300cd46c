package io.herald.redis.dedup;

import io.herald.redis.RedisEngine;
import io.herald.redis.RedisSettings;
import io.herald.redis.TwoProcesses;
import io.herald.testkit.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RedisEventIdFastPathTest {

    private static TwoProcesses redis;
    private final String run = UUID.randomUUID().toString();

    @BeforeAll
    static void start() {
        redis = TwoProcesses.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void anEventIdIsUnseenOnceAcrossProcessesAndPerApp() {
        var a = new RedisEventIdFastPath(redis.a(), Duration.ofHours(1));
        var b = new RedisEventIdFastPath(redis.b(), Duration.ofHours(1));

        assertThat(a.claimUnseen(1, List.of(run))).containsExactly(run);
        assertThat(b.claimUnseen(1, List.of(run))).isEmpty();
        assertThat(a.claimUnseen(1, List.of(run))).isEmpty();
        assertThat(b.claimUnseen(2, List.of(run))).containsExactly(run); // eventIds are unique per app

        long ttl = redis.a().call(c -> c.pttl(RedisEventIdFastPath.PREFIX + "1:" + run));
        assertThat(ttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }

    @Test
    void aBatchIsClaimedInOneCallAndOnlyItsUnseenEventIdsComeBack() {
        var a = new RedisEventIdFastPath(redis.a(), Duration.ofHours(1));
        a.claimUnseen(1, List.of(run + "-2"));

        assertThat(a.claimUnseen(1, List.of(run + "-1", run + "-2", run + "-3"))).containsExactly(run + "-1", run + "-3");
        assertThat(a.claimUnseen(1, List.of(run + "-1", run + "-3"))).isEmpty();
        assertThat(a.claimUnseen(1, List.of())).isEmpty();
    }

    @Test
    void withRedisKilledNothingIsClaimedAndNothingThrowsThenItWorksAgainAfterARestart() throws Exception {
        try (TestRedis own = TestRedis.start(); RedisEngine engine = new RedisEngine(TwoProcesses.settings(own))) {
            var fastPath = new RedisEventIdFastPath(engine, Duration.ofHours(1));
            own.kill();
            assertThat(fastPath.claimUnseen(1, List.of(run))).isEmpty(); // every eventId goes to the database
            assertThat(fastPath.claimUnseen(1, List.of(run, run + "-x"))).isEmpty();

            CountDownLatch back = new CountDownLatch(1);
            engine.onConnected(back::countDown);
            own.restart();
            assertThat(back.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(fastPath.claimUnseen(1, List.of(run))).containsExactly(run);
        }
    }
}
