package io.herald.redis;

import io.herald.testkit.TestRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisEngineTest {

    @Test
    void aRedisThatIsDownAtStartIsNotAskedDuringTheRetryPeriodAndConnectedToAfterIt() {
        AtomicLong nanos = new AtomicLong();
        try (TestRedis late = TestRedis.start()) {
            late.kill();
            try (RedisEngine e = new RedisEngine(new RedisSettings(late.url(), null, Duration.ofSeconds(5), null), nanos::get)) {
                assertThatThrownBy(() -> e.call(c -> c.ping())).isInstanceOf(RedisUnavailableException.class);
                late.restart();
                assertThatThrownBy(() -> e.call(c -> c.ping())).hasMessageContaining("failed less than PT5S ago");

                nanos.addAndGet(Duration.ofSeconds(5).toNanos());
                assertThat(e.<String>call(c -> c.ping())).isEqualTo("PONG");
            }
        }
    }

    @Test
    void aCommandRedisRefusesIsABugNotAnOutage() {
        try (TestRedis server = TestRedis.start(); RedisEngine e = new RedisEngine(TwoProcesses.settings(server))) {
            e.call(c -> c.set("n", "text"));
            assertThatThrownBy(() -> e.call(c -> c.incr("n"))).isInstanceOf(IllegalStateException.class)
                    .isNotInstanceOf(RedisUnavailableException.class);
            assertThat(e.<String>call(c -> c.ping())).isEqualTo("PONG"); // and Redis is still used
        }
    }
}
