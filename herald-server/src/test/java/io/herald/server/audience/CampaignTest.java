package io.herald.server.audience;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Campaigns: drafts, roles, a throttled fan-out, pause and resume, cancel before the start; notifications carry campaign_id. */
class CampaignTest extends ServerTestBase {

    @Autowired
    JdbcTemplate jdbc;

    private String topicWithUsers(int n) {
        String p = "cp-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++)
            items.add("{\"userId\":\"%s-%02d\",\"email\":\"c%d@example.com\",\"topics\":[\"%s\"]}".formatted(p, i, i, p));
        assertThat(call("POST", "/v1/users/batch", APP, "{\"users\":[" + String.join(",", items) + "]}").status()).isEqualTo(200);
        return p;
    }

    private String template() {
        return CampaignFixtures.publishedEmailTemplate((method, path, body) -> call(method, path, ADMIN, body));
    }

    private String draft(String topic, String template, String extra) {
        Reply r = call("POST", "/v1/campaigns", ADMIN, """
                {"name":"Winter sale","appKey":"app1","audience":{"topic":"%s"},"template":"%s","category":"promo"%s}"""
                .formatted(topic, template, extra));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.body().get("status").asString()).isEqualTo("DRAFT");
        return r.body().get("id").asString();
    }

    private JsonNode awaitStatus(String id, String status) {
        Reply r = await("/v1/campaigns/" + id, ADMIN, x -> x.body().get("status").asString().equals(status));
        assertThat(r.body().get("status").asString()).as(r.raw()).isEqualTo(status);
        return r.body();
    }

    @Test
    void aScheduledCampaignFansOutAtItsThrottleAndTagsItsNotifications() {
        String topic = topicWithUsers(12), template = template();
        String id = draft(topic, template, ",\"throttlePerSecond\":5");
        assertThat(call("POST", "/v1/campaigns/" + id + "/pause", ADMIN, null).status()).isEqualTo(409);
        Reply scheduled = call("POST", "/v1/campaigns/" + id + "/schedule", ADMIN, null);
        assertThat(scheduled.status()).as(scheduled.raw()).isEqualTo(200);
        assertThat(call("POST", "/v1/campaigns/" + id + "/schedule", ADMIN, null).status()).isEqualTo(409);
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertThat(done.get("progress").get("planned").asLong()).isEqualTo(12);
        assertThat(done.get("funnel").has("OPENED")).isTrue();

        List<Timestamp> pages = jdbc.queryForList("""
                SELECT created_at FROM notifications WHERE campaign_id = ?::uuid GROUP BY created_at ORDER BY created_at""",
                Timestamp.class, id);
        List<Long> sizes = jdbc.queryForList("""
                SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid GROUP BY created_at ORDER BY created_at""", Long.class, id);
        assertThat(sizes).containsExactly(5L, 5L, 2L);
        for (int i = 1; i < pages.size(); i++) {
            assertThat(pages.get(i).getTime() - pages.get(i - 1).getTime()).as("a second between pages of 5 at 5/s")
                    .isGreaterThanOrEqualTo(990);
        }
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT user_id) FROM notifications WHERE campaign_id = ?::uuid", Long.class, id))
                .isEqualTo(12);
    }

    @Test
    void pausedCampaignsKeepTheirPlaceAndCancelledOnesNeverStart() {
        String topic = topicWithUsers(8), template = template();
        String id = draft(topic, template, ",\"throttlePerSecond\":2");
        call("POST", "/v1/campaigns/" + id + "/schedule", ADMIN, null);
        Reply paused = call("POST", "/v1/campaigns/" + id + "/pause", ADMIN, null);
        assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
        assertThat(paused.body().get("status").asString()).isEqualTo("PAUSED");
        assertThat(call("POST", "/v1/campaigns/" + id + "/pause", ADMIN, null).status()).isEqualTo(409);
        assertThat(call("POST", "/v1/campaigns/" + id + "/resume", ADMIN, null).status()).isEqualTo(200);
        awaitStatus(id, "COMPLETED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid", Long.class, id)).isEqualTo(8);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT user_id) FROM notifications WHERE campaign_id = ?::uuid", Long.class, id))
                .isEqualTo(8);

        String later = draft(topic, template, ",\"sendAt\":\"" + Instant.now().plus(1, ChronoUnit.HOURS) + "\"");
        assertThat(call("POST", "/v1/campaigns/" + later + "/schedule", ADMIN, null).body().get("status").asString())
                .isEqualTo("SCHEDULED");
        Reply cancelled = call("POST", "/v1/campaigns/" + later + "/cancel", ADMIN, null);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid", Long.class, later)).isZero();
        assertThat(call("GET", "/v1/campaigns?limit=500", ADMIN, null).body().get("items").findValuesAsString("id")).contains(id, later);
    }

    @Test
    void rolesAndBadDraftsAreRefused() {
        String viewer = "cv-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("POST", "/v1/accounts", ADMIN,
                "{\"username\":\"%s\",\"password\":\"viewer-password-1\",\"role\":\"VIEWER\"}".formatted(viewer)).status()).isEqualTo(201);
        String creds = viewer + ":viewer-password-1";
        String topic = topicWithUsers(1), template = template();
        String body = "{\"name\":\"x\",\"appKey\":\"app1\",\"audience\":{\"all\":true},\"template\":\"%s\",\"category\":\"promo\"}"
                .formatted(template);
        assertThat(call("POST", "/v1/campaigns", creds, body).status()).isEqualTo(403);
        assertThat(call("GET", "/v1/campaigns", creds, null).status()).isEqualTo(200);
        String id = draft(topic, template, "");
        assertThat(call("POST", "/v1/campaigns/" + id + "/schedule", creds, null).status()).isEqualTo(403);
        assertThat(call("POST", "/v1/campaigns/" + id + "/schedule", APP, null).status()).isEqualTo(401);
        assertThat(call("POST", "/v1/campaigns", ADMIN, body.replace("app1", "no-such-app")).status()).isEqualTo(422);
        assertThat(call("POST", "/v1/campaigns", ADMIN, body.replace("\"all\":true", "\"all\":true,\"topic\":\"t\"")).status())
                .isEqualTo(422);
        assertThat(call("POST", "/v1/campaigns", ADMIN, body.replace(template, "no-such-template")).status()).isIn(404, 422);
        assertThat(call("POST", "/v1/campaigns/" + UUID.randomUUID() + "/schedule", ADMIN, null).status()).isEqualTo(404);
    }
}
