package io.herald.server.api;

import io.herald.core.model.Channel;
import io.herald.server.ServerTestBase;
import io.herald.server.config.ProviderRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The send API as the contract describes it, over real HTTP, on the machine's PostgreSQL. */
class SendApiContractTest extends ServerTestBase {

    @Override
    protected boolean checksResponsesAgainstOpenApi() {
        return true;
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ProviderRegistry providers;

    String user;

    @BeforeEach
    void user() {
        user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        Reply r = call("PUT", "/v1/users/" + user, APP, """
                {"email":"ada@example.com","phone":"+82 10-1234-5678","locale":"ko-KR","timezone":"Asia/Seoul"}""");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("phone").asString()).isEqualTo("+821012345678");
    }

    private long notificationsOf(String eventId) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM notifications WHERE event_id = ?", Long.class, eventId);
        return n == null ? 0 : n;
    }

    private void assertProblem(Reply r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("title").asString()).isNotBlank();
        assertThat(r.body().get("detail").asString()).isNotBlank();
    }

    @Test
    void acceptedSendIsQueuedThenSentWithATrace() {
        String event = "evt-" + UUID.randomUUID();
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["EMAIL","SMS"],"priority":"HIGH",
                 "content":{"subject":"Your order","text":"Your latte is ready","html":"<p>Ready</p>"},"category":"transactional",
                 "unknownField":"is ignored"}""".formatted(event, user));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.body().get("eventId").asString()).isEqualTo(event);
        JsonNode items = r.body().get("notifications");
        assertThat(items).hasSize(2);
        String emailId = null;
        for (JsonNode n : items) {
            assertThat(n.get("status").asString()).isEqualTo("QUEUED");
            if (n.get("channel").asString().equals("EMAIL")) {
                emailId = n.get("id").asString();
                assertThat(n.get("target").asString()).isEqualTo("a***@example.com");
            }
        }
        Reply trace = await("/v1/notifications/" + emailId, APP, x -> x.body().get("status").asString().equals("SENT"));
        assertThat(trace.body().get("status").asString()).isEqualTo("SENT");
        assertThat(trace.body().get("provider").asString()).isEqualTo("sandbox");
        assertThat(trace.body().get("providerMessageId").asString()).startsWith("sandbox-");
        assertThat(trace.body().get("attempts").asInt()).isEqualTo(1);
        assertThat(trace.body().get("events")).extracting(e -> e.get("status").asString()).containsExactly("QUEUED", "SENDING", "SENT");
        // nobody mistakes a sandbox SENT for a delivery
        assertThat(trace.body().get("events").get(2).get("detail").asString()).isEqualTo("sandbox: not delivered");
        String id = emailId;
        assertThat(providers.sandbox(Channel.EMAIL).recent()).anySatisfy(m -> {
            assertThat(m.id().toString()).isEqualTo(id);
            assertThat(m.content().subject()).isEqualTo("Your order");
        });
    }

    @Test
    void sameEventIdAnswersTheSameAndCreatesNothing() {
        String body = """
                {"eventId":"dup-%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"S","text":"t"}}""".formatted(user, user);
        Reply first = call("POST", "/v1/notifications", APP, body);
        Reply again = call("POST", "/v1/notifications", APP, body);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(notificationsOf("dup-" + user)).isEqualTo(1);
    }

    @Test
    void badInputIsA4xxProblemAndStoresNothing() {
        String event = "bad-" + user;
        assertProblem(call("POST", "/v1/notifications", APP, "{\"eventId\":"), 400);
        assertProblem(
                call("POST", "/v1/notifications", APP,
                        "{\"userId\":\"%s\",\"channels\":[\"EMAIL\"],\"content\":{\"subject\":\"s\",\"text\":\"t\"}}".formatted(user)),
                422);
        Reply fax = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["FAX"],"content":{"text":"t"}}""".formatted(event, user));
        assertProblem(fax, 422);
        assertThat(fax.body().get("errors").get(0).get("field").asString()).isEqualTo("channels[0]");
        Reply array = call("POST", "/v1/notifications", APP, "[]");
        assertProblem(array, 400);
        assertThat(array.body().get("detail").asString()).isEqualTo("body: must be an object");
        assertThat(array.body().get("errors").get(0).get("field").asString()).isEqualTo("body");
        assertProblem(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","template":"no_such_template","data":{}}""".formatted(event, user)), 422);
        assertProblem(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","to":{"email":"not-an-email"},"content":{"subject":"s","text":"t"}}""".formatted(event)), 422);
        assertProblem(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","to":{"phone":"12345"},"content":{"text":"t"}}""".formatted(event)), 422);
        assertProblem(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["SMS"],"content":{"subject":"only a subject"}}""".formatted(event, user)), 422);
        assertProblem(call("POST", "/v1/notifications", APP,
                """
                        {"eventId":"%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"},"expiresAt":"2001-01-01T00:00:00Z"}"""
                        .formatted(event, user)),
                422);
        assertProblem(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"},"sendAt":"tomorrow"}"""
                .formatted(event, user)), 422);
        String huge = "x".repeat(3 * 1024 * 1024);
        assertProblem(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"%s"}}""".formatted(event, user, huge)),
                413);
        StringBuilder batch = new StringBuilder("{\"notifications\":[");
        for (int i = 0; i < 1001; i++) batch.append(i == 0 ? "" : ",").append("{\"eventId\":\"b").append(i).append("\"}");
        assertProblem(call("POST", "/v1/notifications/batch", APP, batch.append("]}").toString()), 422);
        assertThat(notificationsOf(event)).isZero();
    }

    @Test
    void wrongOrMissingCredentialsAre401() {
        Reply none = call("GET", "/v1/notifications", null, null);
        assertProblem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertProblem(call("GET", "/v1/notifications", "app1:wrong-secret", null), 401);
        assertProblem(call("GET", "/v1/notifications", "nobody:x", null), 401);
        assertProblem(call("GET", "/v1/queues", APP, null), 401); // app credentials are not an operator account
    }

    @Test
    void anotherAppSeesNothingOfThisApp() {
        Reply created = call("POST", "/v1/apps", ADMIN, "{\"name\":\"other\"}");
        assertThat(created.status()).isEqualTo(201);
        String other = created.body().get("appKey").asString() + ":" + created.body().get("appSecret").asString();
        Reply sent = call("POST", "/v1/notifications", APP, """
                {"eventId":"mine-%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(user, user));
        String id = sent.body().get("notifications").get(0).get("id").asString();

        assertProblem(call("GET", "/v1/notifications/" + id, other, null), 404);
        assertProblem(call("DELETE", "/v1/notifications/" + id, other, null), 404);
        assertProblem(call("POST", "/v1/notifications/" + id + "/events", other, "{\"type\":\"OPENED\"}"), 404);
        assertProblem(call("GET", "/v1/users/" + user, other, null), 404);
        assertThat(call("GET", "/v1/notifications?eventId=mine-" + user, other, null).body().get("items")).isEmpty();
        assertThat(call("GET", "/v1/notifications?eventId=mine-" + user, APP, null).body().get("items")).hasSize(1);
        // the same eventId is free for another app: idempotency keys are per app
        assertThat(call("POST", "/v1/notifications", other, """
                {"eventId":"mine-%s","to":{"email":"x@example.com"},"content":{"subject":"s","text":"t"}}""".formatted(user)).status())
                .isEqualTo(202);

        assertThat(call("DELETE", "/v1/apps/" + created.body().get("appKey").asString(), ADMIN, null).status()).isEqualTo(204);
        assertProblem(call("GET", "/v1/notifications", other, null), 401); // revoked at once
    }

    @Test
    void batchAnswersEachItemInOrder() {
        Reply r = call("POST", "/v1/notifications/batch", APP, """
                {"notifications":[
                  {"eventId":"b1-%1$s","userId":"%1$s","channels":["EMAIL"],"content":{"subject":"s","text":"t"}},
                  {"eventId":"b2-%1$s","userId":"%1$s","channels":["FAX"],"content":{"text":"t"}},
                  {"eventId":"b3-%1$s","to":{"phone":"+14155550100"},"content":{"text":"hi"}}]}""".formatted(user));
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.body().get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(1).get("errors").get(0).get("field").asString()).isEqualTo("channels[0]");
        assertThat(results.get(2).get("notifications").get(0).get("channel").asString()).isEqualTo("SMS");
        String smsId = results.get(2).get("notifications").get(0).get("id").asString();
        assertThat(call("GET", "/v1/notifications/" + smsId, APP, null).body().get("events").get(0).get("detail").asString())
                .isEqualTo("SMS GSM-7, 1 segment");
        assertThat(notificationsOf("b2-" + user)).isZero();
        assertThat(notificationsOf("b3-" + user)).isEqualTo(1);
    }

    @Test
    void scheduledSendCanBeCancelledOnlyWhileWaiting() {
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"later-%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"},
                 "sendAt":"2099-01-01T09:00:00+09:00"}""".formatted(user, user));
        JsonNode n = r.body().get("notifications").get(0);
        assertThat(n.get("status").asString()).isEqualTo("SCHEDULED");
        String id = n.get("id").asString();
        Reply cancelled = call("DELETE", "/v1/notifications/" + id, APP, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("reason").asString()).isEqualTo("CANCELLED");
        assertProblem(call("DELETE", "/v1/notifications/" + id, APP, null), 409);
        assertProblem(call("DELETE", "/v1/notifications/" + UUID.randomUUID(), APP, null), 404);
    }

    @Test
    void recipientProblemsAreNotificationsWithReasons() {
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"nodev-%s","userId":"%s","channels":["PUSH"],"content":{"title":"t","body":"b"}}""".formatted(user, user));
        assertThat(r.status()).isEqualTo(202);
        JsonNode n = r.body().get("notifications").get(0);
        assertThat(n.get("status").asString()).isEqualTo("FAILED");
        assertThat(n.get("reason").asString()).isEqualTo("NO_RECIPIENT");
        assertThat(n.has("target")).as("target is listed, null, when there was no recipient").isTrue();
        assertThat(n.get("target").isNull()).isTrue();
    }

    @Test
    void trackingEventsAreRecordedInTheHistory() {
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"track-%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(user, user));
        String id = r.body().get("notifications").get(0).get("id").asString();
        await("/v1/notifications/" + id, APP, x -> x.body().get("status").asString().equals("SENT"));
        assertThat(call("POST", "/v1/notifications/" + id + "/events", APP, "{\"type\":\"OPENED\"}").status()).isEqualTo(202);
        assertThat(call("POST", "/v1/notifications/" + id + "/events", APP, "{\"type\":\"CLICKED\",\"at\":\"2026-11-22T10:00:00+09:00\"}")
                .status()).isEqualTo(202);
        assertProblem(call("POST", "/v1/notifications/" + id + "/events", APP, "{\"type\":\"EXPLODED\"}"), 422);
        Reply trace = call("GET", "/v1/notifications/" + id, APP, null);
        assertThat(trace.body().get("status").asString()).isEqualTo("DELIVERED");
        assertThat(trace.body().get("events")).extracting(e -> e.get("status").asString()).contains("OPENED", "CLICKED");
    }

    @Test
    void searchPagesWithAnOpaqueCursor() {
        for (int i = 0; i < 5; i++) {
            call("POST", "/v1/notifications", APP, """
                    {"eventId":"page-%s-%d","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(user, i,
                    user));
        }
        Reply p1 = call("GET", "/v1/notifications?userId=" + user + "&limit=3", APP, null);
        assertThat(p1.body().get("items")).hasSize(3);
        String cursor = p1.body().get("nextCursor").asString();
        Reply p2 = call("GET", "/v1/notifications?userId=" + user + "&limit=3&cursor=" + cursor, APP, null);
        assertThat(p2.body().get("items")).hasSize(2);
        assertThat(p2.body().has("nextCursor")).isFalse();
        // the contract's hardening rules: a bad query parameter is a 400 naming it
        assertProblem(call("GET", "/v1/notifications?limit=501", APP, null), 400);
        assertProblem(call("GET", "/v1/notifications?cursor=garbage", APP, null), 400);
        assertProblem(call("GET", "/v1/notifications?status=LOST", APP, null), 400);
    }
}
