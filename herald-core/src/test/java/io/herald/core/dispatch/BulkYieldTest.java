package io.herald.core.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BulkYieldTest {

    final AtomicLong nanos = new AtomicLong();
    final List<Duration> rests = new ArrayList<>();
    final BulkYield yield = new BulkYield(new BulkYield.Settings(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(250),
            Duration.ofSeconds(2)), nanos::get, rests::add);

    @Test
    void bulkRunsFreelyUntilHighWaitsPastTheTarget() throws Exception {
        yield.highWaited(Duration.ofMillis(49));
        yield.beforeBulkStep();
        assertThat(yield.rest()).isZero();
        assertThat(rests).isEmpty();

        yield.highWaited(Duration.ofMillis(51));
        assertThat(yield.rest()).isEqualTo(Duration.ofMillis(10));
        yield.beforeBulkStep();
        assertThat(rests).containsExactly(Duration.ofMillis(10));
    }

    @Test
    void restsDoubleWhileStrainedUpToTheMaximumAndHalveWhenHighIsFast() {
        for (int i = 0; i < 3; i++) yield.highWaited(Duration.ofMillis(300));
        assertThat(yield.rest()).isEqualTo(Duration.ofMillis(40));
        for (int i = 0; i < 10; i++) yield.highWaited(Duration.ofMillis(300));
        assertThat(yield.rest()).as("capped").isEqualTo(Duration.ofMillis(250));
        yield.highWaited(Duration.ofMillis(30));
        assertThat(yield.rest()).as("between half the target and the target: unchanged").isEqualTo(Duration.ofMillis(250));
        yield.highWaited(Duration.ofMillis(5));
        assertThat(yield.rest()).isEqualTo(Duration.ofMillis(125));
        for (int i = 0; i < 5; i++) yield.highWaited(Duration.ofMillis(5));
        assertThat(yield.rest()).as("halved below half the first rest: none").isZero();
    }

    @Test
    void withoutStrainForTheCalmPeriodBulkRunsAtFullSpeed() {
        yield.highWaited(Duration.ofMillis(500));
        yield.highWaited(Duration.ofMillis(500));
        nanos.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(yield.rest()).isEqualTo(Duration.ofMillis(20));
        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(yield.rest()).as("no HIGH traffic lately: nothing to give way to").isZero();
    }

    @Test
    void neverRests() throws Exception {
        BulkYield.NEVER.highWaited(Duration.ofSeconds(5));
        assertThat(BulkYield.NEVER.rest()).isZero();
    }

    @Test
    void knowsWhenHighWasLastSeenEvenWhenItNeverRests() {
        BulkYield restless = BulkYield.restless(nanos::get);
        assertThat(restless.highSeenWithin(Duration.ofSeconds(5))).as("no HIGH yet").isFalse();
        restless.highWaited(Duration.ofSeconds(3));
        assertThat(restless.rest()).as("it never rests").isZero();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(restless.highSeenWithin(Duration.ofSeconds(5))).isTrue();
        nanos.incrementAndGet();
        assertThat(restless.highSeenWithin(Duration.ofSeconds(5))).as("quiet for longer than the window").isFalse();
        assertThat(yield.highSeenWithin(Duration.ofDays(1))).isFalse();
        yield.highWaited(Duration.ofMillis(1));
        assertThat(yield.highSeenWithin(Duration.ofDays(1))).as("a resting one tracks HIGH too").isTrue();
        BulkYield.NEVER.highWaited(Duration.ofMillis(1));
        assertThat(BulkYield.NEVER.highSeenWithin(Duration.ofDays(1))).as("the shared one records nothing").isFalse();
    }
}
