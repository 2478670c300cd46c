package io.herald.server.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SingleSendTimerTest {

    @Test
    void outcomesAndRoutesAreSpringsNames() {
        assertThat(SingleSendTimer.outcome(202)).isEqualTo("SUCCESS");
        assertThat(SingleSendTimer.outcome(422)).isEqualTo("CLIENT_ERROR");
        assertThat(SingleSendTimer.outcome(503)).isEqualTo("SERVER_ERROR");
        assertThat(SingleSendTimer.outcome(302)).isEqualTo("REDIRECTION");
        assertThat(SingleSendTimer.outcome(101)).isEqualTo("INFORMATIONAL");
        assertThat(SingleSendTimer.outcome(0)).isEqualTo("UNKNOWN");
        assertThat(SingleSendTimer.uri("/v1/notifications", 202)).isEqualTo("/v1/notifications");
        assertThat(SingleSendTimer.uri(null, 401)).isEqualTo("UNKNOWN");
        assertThat(SingleSendTimer.uri(null, 404)).isEqualTo("NOT_FOUND");
        assertThat(SingleSendTimer.uri(null, 301)).isEqualTo("REDIRECTION");
    }
}
