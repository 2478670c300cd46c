package io.herald.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiPropertiesTest {

    private static ApiProperties with(Integer writers, Duration linger) {
        return new ApiProperties(null, null, null, null, null, writers, null, null, linger, null, null);
    }

    private static ApiProperties shedding(Integer inProgress, Integer waiting) {
        return new ApiProperties(null, null, null, null, null, null, null, null, null, inProgress, waiting);
    }

    @Test
    void requestsInProgressDefaultToOnePer400KbOfHeapAndSingleSendsInIntakeToAsMany() {
        ApiProperties api = shedding(null, null);
        assertThat(api.maxRequestsInProgress()).isEqualTo((int) Math.max(64, Runtime.getRuntime().maxMemory() / 409_600));
        assertThat(shedding(800, null).requestThreads()).isEqualTo(900);
        assertThat(shedding(100, null).requestThreads()).isEqualTo(164);
        assertThat(api.intakeMaxWaiting()).isEqualTo(api.maxRequestsInProgress());
        assertThat(shedding(1000, null).intakeMaxWaiting()).isEqualTo(1000);
        assertThat(shedding(1000, 900).intakeMaxWaiting()).isEqualTo(900);
        assertThatThrownBy(() -> shedding(0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-requests-in-progress");
        assertThatThrownBy(() -> shedding(10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intake-max-waiting");
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
