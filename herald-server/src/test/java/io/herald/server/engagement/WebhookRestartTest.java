package io.herald.server.engagement;

import io.herald.server.process.ServerProcess;
import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Status webhooks survive a crash: a Herald process whose endpoint answers 500 is killed with SIGKILL, more
 * notifications are accepted around the kill, and a new process delivers every SENT notification's webhook,
 * signed, with the message id the first attempt carried.
 */
@Tag("process")
class WebhookRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String schema = TestPostgres.newSchema("webhookrestart");
    private final List<ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        try {
            processes.forEach(ServerProcess::close);
        } finally {
            TestPostgres.dropSchema(schema);
        }
    }

    private ServerProcess start(String id) {
        ServerProcess p = ServerProcess.builder(schema, id)
                .set("herald.outbound.allowed-hosts", "127.0.0.1,localhost")
                .set("herald.engagement.rollup-interval", "100ms")
                .set("herald.engagement.webhook-poll-interval", "100ms")
                .set("herald.engagement.webhook-timeout", "2s")
                .set("herald.engagement.webhook-retry-schedule", "500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms")
                .start();
        processes.add(p);
        return p.awaitReady(Duration.ofSeconds(90));
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void aRestartBetweenAttemptsLosesNothing() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.otherwise(500);
            ServerProcess first = start("hooks-1");
            var created = first.post("/v1/webhooks", "{\"url\": \"" + receiver.url() + "\", \"events\": [\"notification.sent\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String secret = JSON.readTree(created.body()).path("secret").asString();

            assertThat(first.post("/v1/notifications", sms("before-crash")).statusCode()).isEqualTo(202);
            await("a first, failed attempt", () -> receiver.received().stream().anyMatch(r -> r.body().contains("before-crash")));
            // accepted right before the kill: its SENT event may be anywhere between queue, history and outbox
            assertThat(first.post("/v1/notifications", sms("at-crash")).statusCode()).isEqualTo(202);
            first.kill9();

            receiver.otherwise(200);
            ServerProcess second = start("hooks-2");
            assertThat(second.post("/v1/notifications", sms("after-crash")).statusCode()).isEqualTo(202);

            Set<String> expected = Set.of("before-crash", "at-crash", "after-crash");
            await("every SENT notification announced with a 200", () -> sentEvents().containsAll(expected)
                    && expected.stream().allMatch(
                            e -> receiver.received().stream().anyMatch(r -> r.answered() == 200 && r.body().contains("\"" + e + "\""))));
            for (var r : receiver.received()) {
                assertThat(StandardWebhookVerifier.verify(secret, r.id(), r.timestamp(), r.signature(), r.body(), Instant.now())).isTrue();
            }
            // the retried message is the same message: same webhook-id before and after the crash
            var before = receiver.received().stream().filter(r -> r.body().contains("before-crash")).toList();
            assertThat(before.stream().map(WebhookReceiver.Received::id).distinct()).hasSize(1);
            assertThat(before.getFirst().answered()).isEqualTo(500);
            // and each event is delivered once successfully
            for (String e : expected) {
                assertThat(receiver.received().stream().filter(r -> r.answered() == 200 && r.body().contains("\"" + e + "\""))).hasSize(1);
            }
            JsonNode payload = JSON.readTree(before.getLast().body());
            assertThat(payload.path("type").asString()).isEqualTo("notification.sent");
        }
    }

    private static String sms(String eventId) {
        return "{\"eventId\": \"" + eventId + "\", \"to\": {\"phone\": \"+14152000001\"}, \"content\": {\"text\": \"hello\"}}";
    }

    private Set<String> sentEvents() {
        try (Connection c = DriverManager.getConnection(TestPostgres.urlFor(schema), TestPostgres.USER, null);
                var rs = c.createStatement().executeQuery("SELECT event_id FROM notifications WHERE status = 'SENT'")) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) ids.add(rs.getString(1));
            return ids.stream().collect(Collectors.toSet());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within 60 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
