package io.herald.server.observability;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.net.OutboundGuard;
import io.herald.core.queue.Lease;
import io.herald.core.queue.Transition;
import io.herald.testkit.LoopbackHttpServer;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Operators get one webhook per channel and interval, carrying the count, as valid JSON whatever the detail says. */
class DeadLetterAlertsTest {

    private static Transition dead(String detail, Instant at) {
        return new Transition(UUID.randomUUID(), Status.FAILED, Reason.RETRIES_EXHAUSTED, detail, "smtp", null, false, 5, null, true, at,
                new Lease("w", 5));
    }

    @Test
    void deadLettersAreAlertedOncePerIntervalWithTheirCount() throws Exception {
        var received = new LinkedBlockingQueue<String>();
        try (var hook = LoopbackHttpServer.start(ex -> {
            try (ex) {
                received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(204, -1);
            }
        })) {
            SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
            // the hook listens on loopback: its host must be listed explicitly
            var alerts = new DeadLetterAlerts(hook.baseUrl() + "/alerts", Duration.ofMinutes(1), clock,
                    OutboundGuard.allowing("127.0.0.1,localhost"));
            alerts.transition(Channel.EMAIL, Priority.NORMAL, dead("421 \"busy\"\nline two\t\\", clock.instant()), Duration.ZERO);
            JsonNode first = JsonMapper.builder().build().readTree(received.poll(5, TimeUnit.SECONDS));
            assertThat(first.get("channel").asString()).isEqualTo("EMAIL");
            assertThat(first.get("count").asInt()).isEqualTo(1);
            assertThat(first.get("detail").asString()).isEqualTo("421 \"busy\"\nline two\t\\");

            // within the interval: counted, not sent
            for (int i = 0; i < 3; i++) alerts.transition(Channel.EMAIL, Priority.NORMAL, dead("x", clock.instant()), Duration.ZERO);
            // not a dead letter: ignored
            alerts.transition(Channel.EMAIL, Priority.NORMAL, new Transition(UUID.randomUUID(), Status.SENT, null, null, "smtp",
                    "id", false, 1, null, false, clock.instant(), new Lease("w", 1)), Duration.ZERO);
            assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();

            clock.advance(Duration.ofMinutes(1));
            alerts.transition(Channel.EMAIL, Priority.NORMAL, dead("y", clock.instant()), Duration.ZERO);
            JsonNode second = JsonMapper.builder().build().readTree(received.poll(5, TimeUnit.SECONDS));
            assertThat(second.get("count").asInt()).as("the 3 held back plus this one").isEqualTo(4);
            alerts.close();
        }
    }

    @Test
    void internalOrPlainHttpHooksAreRefusedUnlessTheirHostIsAllowed() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
        for (String url : new String[]{"http://127.0.0.1:9/alerts", "https://169.254.169.254/x", "https://10.0.0.2/x",
                "http://alerts.example.com/x",
                "https://localhost/x"}) {
            assertThatThrownBy(() -> new DeadLetterAlerts(url, Duration.ofMinutes(1), clock, OutboundGuard.strict()))
                    .as(url).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("herald.outbound.allowed-hosts");
        }
        new DeadLetterAlerts("https://alerts.example.com/x", Duration.ofMinutes(1), clock, OutboundGuard.strict()).close();
    }
}
