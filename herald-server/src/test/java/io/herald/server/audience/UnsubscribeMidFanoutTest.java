package io.herald.server.audience;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users leave and join a topic while its fan-out is under way (held by a pause, so the moment is exact): one the
 * cursor has passed keeps the one notification already planned, one ahead of it gets none, one joining ahead gets one.
 */
class UnsubscribeMidFanoutTest extends ServerTestBase {

    private static final int USERS = 20;

    @Autowired
    JdbcTemplate jdbc;

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    @Test
    void leavingAheadOfTheCursorMeansNoNotificationAndBehindItExactlyOne() {
        String p = "um-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < USERS; i++)
            items.add("{\"userId\":\"%s-%02d\",\"email\":\"m%d@example.com\",\"topics\":[\"%s\"]}".formatted(p, i, i, p));
        items.add("{\"userId\":\"%s-99\",\"email\":\"late@example.com\"}".formatted(p)); // not subscribed yet
        assertThat(call("POST", "/v1/users/batch", APP, "{\"users\":[" + String.join(",", items) + "]}").status()).isEqualTo(200);
        String template = CampaignFixtures.publishedEmailTemplate((method, path, body) -> call(method, path, ADMIN, body));
        Reply draft = call("POST", "/v1/campaigns", ADMIN, """
                {"name":"Mid fan-out","appKey":"app1","audience":{"topic":"%s"},"template":"%s","category":"promo","throttlePerSecond":2}"""
                .formatted(p, template));
        assertThat(draft.status()).as(draft.raw()).isEqualTo(201);
        String id = draft.body().get("id").asString();

        assertThat(call("POST", "/v1/campaigns/" + id + "/schedule", ADMIN, null).status()).isEqualTo(200);
        Reply started = await("/v1/campaigns/" + id, ADMIN, r -> r.body().get("progress").get("planned").asLong() >= 1);
        assertThat(started.body().get("progress").get("planned").asLong()).as(started.raw()).isPositive();
        Reply paused = call("POST", "/v1/campaigns/" + id + "/pause", ADMIN, null);
        assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
        String cursor = jdbc.queryForObject(
                "SELECT b.cursor_user_id FROM broadcasts b JOIN campaigns c ON c.broadcast_id = b.id WHERE c.id = ?::uuid",
                String.class, id);
        assertThat(cursor).as("paused mid-way, throttled at 2 a second").isNotNull().isLessThan(p + "-" + (USERS - 1));

        String behind = p + "-00", ahead = p + "-" + (USERS - 1), joined = p + "-99";
        assertThat(count("SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid AND user_id = ?", id, behind)).isEqualTo(1);
        assertThat(call("DELETE", "/v1/topics/" + p + "/subscribers/" + behind, APP, null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/v1/topics/" + p + "/subscribers/" + ahead, APP, null).status()).isEqualTo(204);
        assertThat(call("POST", "/v1/topics/" + p + "/subscribers", APP, "{\"userIds\":[\"" + joined + "\"]}").status()).isEqualTo(200);

        assertThat(call("POST", "/v1/campaigns/" + id + "/resume", ADMIN, null).status()).isEqualTo(200);
        Reply done = await("/v1/campaigns/" + id, ADMIN, r -> r.body().get("status").asString().equals("COMPLETED"));
        assertThat(done.body().get("status").asString()).as(done.raw()).isEqualTo("COMPLETED");

        assertThat(count("SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid AND user_id = ?", id, behind)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid AND user_id = ?", id, ahead)).isZero();
        assertThat(count("SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid AND user_id = ?", id, joined)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM notifications WHERE campaign_id = ?::uuid", id)).isEqualTo(USERS);
        assertThat(count("SELECT count(DISTINCT user_id) FROM notifications WHERE campaign_id = ?::uuid", id)).isEqualTo(USERS);
    }
}
