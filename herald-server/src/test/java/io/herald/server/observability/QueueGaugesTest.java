package io.herald.server.observability;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class QueueGaugesTest {

    @Test
    void aCheapReadComesBackEveryPeriod() {
        assertThat(QueueGauges.nextReadIn(Duration.ofSeconds(5), Duration.ofMillis(3))).isEqualTo(Duration.ofSeconds(5));
        assertThat(QueueGauges.nextReadIn(Duration.ofSeconds(5), Duration.ofMillis(250))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anExpensiveReadWaitsTwentyTimesAsLongAsItTook() {
        // behind a deep backlog the walk of the queue took about a second: the gauges then cost 1/20 of a connection
        assertThat(QueueGauges.nextReadIn(Duration.ofSeconds(5), Duration.ofMillis(1_200))).isEqualTo(Duration.ofSeconds(24));
        assertThat(QueueGauges.nextReadIn(Duration.ofSeconds(5), Duration.ofMillis(251))).isEqualTo(Duration.ofMillis(5_020));
    }
}
