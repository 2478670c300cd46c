package io.herald.server.channels;

import io.herald.server.channels.Http.Reply;
import io.herald.testkit.TestPostgres;
import io.herald.testkit.email.FakeSendGridServer;
import io.herald.testkit.sms.FakeTwilioServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Provider outages end to end: EMAIL=[smtp, sendgrid] with nothing listening on the SMTP port fails over to
 * SendGrid at once and then opens smtp's circuit; a Twilio outage (503) leaves email flowing while SMS retries,
 * exhausts its attempts into the dead letters, and an operator requeues them once Twilio is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverEndToEndTest {

    private static final String SCHEMA = TestPostgres.newSchema("failover");
    private static final String SENDGRID_KEY = "SG.e2e-test-key";
    private static final String TWILIO_SID = "AC" + "fedcba9876543210fedcba9876543210";
    private static final String TWILIO_TOKEN = "twilio-auth-token-failover";
    /** Calls in the breaker's window; it opens only when all of them failed. */
    private static final int BREAKER_WINDOW = 5;
    private static final int SMS_MAX_ATTEMPTS = 2;

    private static final int SMTP_PORT = Http.closedPort();
    private static final FakeSendGridServer SENDGRID = new FakeSendGridServer(SENDGRID_KEY);
    private static final FakeTwilioServer TWILIO = new FakeTwilioServer(TWILIO_SID, TWILIO_TOKEN);
    private static final java.nio.file.Path DIR = Http.tempDir("herald-failover-e2e-");

    static {
        Http.cleanUpAtExit(SCHEMA, DIR);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        Http.serverOn(r, SCHEMA, DIR);
        // SMS: two attempts, the retry 1.5 to 3 s after the first (equal jitter), so RETRYING is observable
        r.add("herald.dispatch.channels.SMS.max-attempts", () -> SMS_MAX_ATTEMPTS);
        r.add("herald.dispatch.channels.SMS.initial-backoff", () -> "3s");

        r.add("herald.providers.smtp.host", () -> "127.0.0.1");
        r.add("herald.providers.smtp.port", () -> SMTP_PORT);
        r.add("herald.providers.smtp.security", () -> "OFF");
        r.add("herald.providers.smtp.from", () -> "Herald <noreply@herald.test>");
        r.add("herald.providers.sendgrid.base-url", () -> SENDGRID.baseUrl().toString());
        r.add("herald.providers.sendgrid.api-key", () -> SENDGRID_KEY);
        r.add("herald.providers.sendgrid.from", () -> "Herald <noreply@herald.test>");
        r.add("herald.providers.twilio.base-url", () -> TWILIO.baseUrl().toString());
        r.add("herald.providers.twilio.account-sid", () -> TWILIO_SID);
        r.add("herald.providers.twilio.auth-token", () -> TWILIO_TOKEN);
        r.add("herald.providers.twilio.from", () -> "+15005550006");
        r.add("herald.providers.channels.EMAIL[0]", () -> "smtp");
        r.add("herald.providers.channels.EMAIL[1]", () -> "sendgrid");
        r.add("herald.providers.channels.SMS[0]", () -> "twilio");

        // a breaker that opens once the last 5 calls all failed, and stays open for the rest of the class
        r.add("herald.providers.resilience.window", () -> BREAKER_WINDOW);
        r.add("herald.providers.resilience.minimum-calls", () -> BREAKER_WINDOW);
        r.add("herald.providers.resilience.failure-rate", () -> "100");
        r.add("herald.providers.resilience.open-for", () -> "10m");
    }

    @AfterAll
    static void closePeers() {
        Http.closeQuietly(SENDGRID);
        Http.closeQuietly(TWILIO);
    }

    @LocalServerPort
    int port;

    private Http http() {
        return new Http(port);
    }

    private static String sentDetail(Reply trace) {
        for (JsonNode e : trace.body().get("events")) {
            if (e.get("status").asString().equals("SENT")) return e.has("detail") ? e.get("detail").asString() : null;
        }
        return null;
    }

    private static List<FakeSendGridServer.Request> sendGridTo(String address) {
        return SENDGRID.accepted().stream()
                .filter(q -> q.json().at("/personalizations/0/to/0/email").asString("").equals(address)).toList();
    }

    private long lane(String channel, String field) {
        Reply q = http().call("GET", "/v1/queues", Http.ADMIN, null);
        assertThat(q.status()).as(q.raw()).isEqualTo(200);
        return StreamSupport.stream(q.body().get("lanes").spliterator(), false)
                .filter(l -> l.get("channel").asString().equals(channel)).mapToLong(l -> l.get(field).asLong()).sum();
    }

    @Test
    @Order(1)
    void emailFailsOverToSendGridThenSmtpsCircuitOpens() {
        Http http = http();
        List<String> details = new ArrayList<>();
        int openedAt = -1;
        // one at a time, so each send sees the breaker as the previous ones left it
        for (int i = 0; i < BREAKER_WINDOW + 3 && (openedAt < 0 || i < openedAt + 2); i++) {
            String address = "fo" + i + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
            long started = System.nanoTime();
            Reply r = http.call("POST", "/v1/notifications", Http.APP, """
                    {"eventId":"fo-%s","to":{"email":"%s"},"content":{"subject":"Failover %d","text":"Sent around a dead SMTP server."}}"""
                    .formatted(address, address, i));
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            String id = r.body().get("notifications").get(0).get("id").asString();
            Reply trace = http.awaitStatus(id, "SENT");
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(trace.text("status")).as(trace.raw()).isEqualTo("SENT");
            assertThat(trace.text("provider")).isEqualTo("sendgrid");
            assertThat(trace.body().get("attempts").asInt()).as("failover is within the attempt, not a retry").isEqualTo(1);
            List<FakeSendGridServer.Request> got = sendGridTo(address);
            assertThat(got).hasSize(1);
            assertThat(got.getFirst().json().get("subject").asString()).isEqualTo("Failover " + i);
            assertThat(trace.text("providerMessageId")).isEqualTo(got.getFirst().messageId());
            String detail = sentDetail(trace);
            assertThat(detail).as(trace.raw()).startsWith("after failover (smtp: ");
            details.add(i + " (" + tookMs + " ms): " + detail);
            if (openedAt < 0 && detail.contains("circuit open for smtp")) openedAt = i;
        }
        System.out.println("[failover] " + String.join("\n[failover] ", details));
        // exactly the breaker's window of real connection attempts, then smtp is not even tried
        assertThat(openedAt).as(String.join("\n", details)).isEqualTo(BREAKER_WINDOW);
        for (int i = 0; i < details.size(); i++) {
            if (i < openedAt) assertThat(details.get(i)).doesNotContain("circuit open").containsIgnoringCase("connect");
            else
                assertThat(details.get(i)).endsWith(": after failover (smtp: circuit open for smtp)");
        }
    }

    @Test
    @Order(2)
    void smsOutageRetriesIntoTheDeadLettersWhileEmailFlowsThenRequeueSends() {
        Http http = http();
        String user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String phone = "+14155550199";
        assertThat(http.call("PUT", "/v1/users/" + user, Http.APP, """
                {"email":"%s@example.com","phone":"%s"}""".formatted(user, phone)).status()).isEqualTo(201);
        // Twilio is down: it answers 503 to every attempt these two SMS will make
        for (int i = 0; i < 2 * SMS_MAX_ATTEMPTS; i++) TWILIO.enqueue(FakeTwilioServer.Reply.serverError(503));

        List<String> sms = new ArrayList<>();
        List<String> email = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            Reply r = http.call("POST", "/v1/notifications", Http.APP, """
                    {"eventId":"out%d-%s","userId":"%s","channels":["SMS","EMAIL"],"content":{"subject":"Code","text":"Your code is %d"}}"""
                    .formatted(n, user, user, 1000 + n));
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            for (JsonNode item : r.body().get("notifications")) {
                (item.get("channel").asString().equals("SMS") ? sms : email).add(item.get("id").asString());
            }
        }
        assertThat(sms).hasSize(2);
        assertThat(email).hasSize(2);

        // email is not held up by the SMS outage: both SENT while both SMS wait for their retry
        long started = System.nanoTime();
        boolean seen = Http.await(() -> {
            boolean emailsSent = email.stream()
                    .allMatch(id -> "SENT".equals(http.call("GET", "/v1/notifications/" + id, Http.APP, null).text("status")));
            boolean smsRetrying = sms.stream()
                    .allMatch(id -> "RETRYING".equals(http.call("GET", "/v1/notifications/" + id, Http.APP, null).text("status")));
            return emailsSent && smsRetrying && lane("SMS", "retrying") == 2;
        }, ok -> ok);
        long observedMs = (System.nanoTime() - started) / 1_000_000;
        System.out.println("[failover] emails SENT and both SMS RETRYING observed after " + observedMs + " ms");
        assertThat(seen).as("emails SENT while SMS RETRYING").isTrue();
        Reply retrying = http.call("GET", "/v1/notifications/" + sms.getFirst(), Http.APP, null);
        assertThat(retrying.body().get("events")).extracting(e -> e.get("status").asString()).containsSubsequence("SENDING", "RETRYING");

        List<Reply> exhausted = new ArrayList<>();
        for (String id : sms) {
            Reply t = http.awaitStatus(id, "FAILED");
            assertThat(t.text("status")).as(t.raw()).isEqualTo("FAILED");
            assertThat(t.text("reason")).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(t.body().get("attempts").asInt()).isEqualTo(SMS_MAX_ATTEMPTS);
            assertThat(t.text("provider")).isEqualTo("twilio");
            exhausted.add(t);
        }
        assertThat(exhausted.getFirst().body().get("events")).extracting(e -> e.get("status").asString())
                .containsExactly("QUEUED", "SENDING", "RETRYING", "SENDING", "FAILED");
        // every attempt reached Twilio (the breaker did not open on 4 of 5) and was answered 503
        assertThat(TWILIO.requests()).hasSize(2 * SMS_MAX_ATTEMPTS).allSatisfy(q -> assertThat(q.answeredStatus()).isEqualTo(503));

        assertThat(lane("SMS", "deadLetter")).isEqualTo(2);
        assertThat(lane("EMAIL", "deadLetter")).isZero();
        assertThat(http.call("GET", "/v1/queues", Http.APP, null).status()).as("apps are not operators").isEqualTo(401);

        // Twilio is back (nothing more scripted): an operator requeues the dead letters
        Reply denied = http.call("POST", "/v1/dead-letters/requeue", Http.APP, "{\"ids\":[\"%s\"]}".formatted(sms.getFirst()));
        assertThat(denied.status()).isEqualTo(401);
        Reply requeued = http.call("POST", "/v1/dead-letters/requeue", Http.ADMIN, """
                {"ids":["%s","%s","%s"]}""".formatted(sms.get(0), sms.get(1), email.getFirst()));
        assertThat(requeued.status()).as(requeued.raw()).isEqualTo(200);
        assertThat(requeued.body().get("requeued").asInt()).as("only dead letters are requeued").isEqualTo(2);

        for (String id : sms) {
            Reply t = http.awaitStatus(id, "SENT");
            assertThat(t.text("status")).as(t.raw()).isEqualTo("SENT");
            assertThat(t.text("provider")).isEqualTo("twilio");
            assertThat(t.text("reason")).isNull();
            String sid = t.text("providerMessageId");
            assertThat(TWILIO.requests()).filteredOn(q -> sid.equals(q.sid()))
                    .singleElement().satisfies(q -> assertThat(q.form()).containsEntry("To", phone));
            assertThat(t.body().get("events")).anySatisfy(e -> assertThat(e.path("detail").asString("")).contains("requeued"));
        }
        assertThat(lane("SMS", "deadLetter")).isZero();
        assertThat(email)
                .allSatisfy(id -> assertThat(http.call("GET", "/v1/notifications/" + id, Http.APP, null).text("status")).isEqualTo("SENT"));
        assertThat(sendGridTo(user + "@example.com")).hasSize(2);
    }
}
