package io.herald.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiPropertiesTest {

    private static ApiProperties with(Integer writers, Duration linger) {
        return new ApiProperties(null, null, null, null, null, writers, null, null, linger);
    }

    @Test
    void defaultsToOneIntakeThreadPerCoreAndAtLeastTwo() {
        ApiProperties api = with(null, null);
        assertThat(api.intakeWriters()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(api.intakeMaxGroup()).isEqualTo(200);
        assertThat(api.intakeLinger()).isEqualTo(Duration.ofMillis(1));
        assertThat(with(3, null).intakeWriters()).isEqualTo(3);
    }

    @Test
    void refusesNoIntakeThreadsAndANegativeLinger() {
        assertThatThrownBy(() -> with(0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intake-writers");
        assertThatThrownBy(() -> with(null, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intake-linger");
    }
}
