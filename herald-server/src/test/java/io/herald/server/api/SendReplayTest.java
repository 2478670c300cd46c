package io.herald.server.api;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A known eventId, alone or in a batch, is a replay: the stored receipt comes back and nothing else happens (no
 * render, no rate-limit tokens, no rows).
 */
class SendReplayTest extends ServerTestBase {

    @Autowired
    JdbcTemplate jdbc;

    String user;

    @BeforeEach
    void user() {
        user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"ada@example.com\",\"timezone\":\"UTC\"}").status()).isEqualTo(201);
        // marketing is opt-in, and limited to 3 per day per user and channel by default
        assertThat(call("PUT", "/v1/users/" + user + "/preferences", APP, "{\"categories\":{\"marketing\":{\"EMAIL\":true}}}").status())
                .isEqualTo(200);
    }

    private String marketing(String eventId) {
        return """
                {"eventId":"%s","userId":"%s","channels":["EMAIL"],"category":"marketing","content":{"subject":"s","text":"t"}}"""
                .formatted(eventId, user);
    }

    private static String statusOf(JsonNode receipt) {
        JsonNode n = receipt.get("notifications").get(0);
        return n.get("status").asString() + (n.has("reason") ? ":" + n.get("reason").asString() : "");
    }

    private long rows() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM notifications WHERE user_id = ?", Long.class, user);
        return n == null ? 0 : n;
    }

    @Test
    void replaysTakeNoRateLimitTokensAndCreateNothing() {
        List<String> events = new ArrayList<>();
        List<JsonNode> originals = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String e = "mkt-" + UUID.randomUUID();
            Reply r = call("POST", "/v1/notifications", APP, marketing(e));
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            assertThat(statusOf(r.body())).isEqualTo("QUEUED");
            events.add(e);
            originals.add(r.body());
        }
        long before = rows();

        // the two sends replayed in a batch, twice, and one of them alone: each answers with its stored receipt
        String batch = "{\"notifications\":[" + marketing(events.get(0)) + "," + marketing(events.get(1)) + "]}";
        for (int round = 0; round < 2; round++) {
            Reply b = call("POST", "/v1/notifications/batch", APP, batch);
            assertThat(b.status()).as(b.raw()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                JsonNode item = b.body().get("results").get(i);
                assertThat(item.get("status").asInt()).isEqualTo(200);
                assertThat(item.get("notifications")).isEqualTo(originals.get(i).get("notifications"));
            }
        }
        Reply single = call("POST", "/v1/notifications", APP, marketing(events.get(0)));
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.body()).isEqualTo(originals.get(0));
        assertThat(rows()).isEqualTo(before);

        // the replays consumed nothing: the third new send still fits the 3/day limit, the fourth does not
        Reply third = call("POST", "/v1/notifications/batch", APP, "{\"notifications\":[" + marketing("mkt-" + UUID.randomUUID()) + "]}");
        assertThat(third.body().get("results").get(0).get("status").asInt()).as(third.raw()).isEqualTo(202);
        assertThat(statusOf(third.body().get("results").get(0))).isEqualTo("QUEUED");
        Reply fourth = call("POST", "/v1/notifications", APP, marketing("mkt-" + UUID.randomUUID()));
        assertThat(fourth.status()).isEqualTo(202);
        assertThat(statusOf(fourth.body())).isEqualTo("SUPPRESSED:RATE_LIMITED");
    }

    @Test
    void aReplayAnswersWithTheStoredReceiptEvenWhenTheTemplateWouldNowRefuseIt() {
        String key = "replay_" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = call("POST", "/v1/templates", ADMIN, """
                {"key":"%s","name":"Replay","defaultChannels":["EMAIL"],"variables":[],
                 "content":{"default":{"EMAIL":{"subject":"Hello","text":"Hello there"}}}}""".formatted(key));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", ADMIN, null).status()).isEqualTo(200);

        String alone = "tpl-" + UUID.randomUUID(), batched = "tpl-" + UUID.randomUUID();
        String body = "{\"eventId\":\"%s\",\"userId\":\"" + user + "\",\"template\":\"" + key + "\",\"data\":{}}";
        Reply first = call("POST", "/v1/notifications", APP, body.formatted(alone));
        assertThat(first.status()).as(first.raw()).isEqualTo(202);
        Reply firstBatch = call("POST", "/v1/notifications/batch", APP, "{\"notifications\":[" + body.formatted(batched) + "]}");
        JsonNode batchedOriginal = firstBatch.body().get("results").get(0);
        assertThat(batchedOriginal.get("status").asInt()).as(firstBatch.raw()).isEqualTo(202);

        // version 2 requires a variable the original sends did not pass
        Reply v2 = call("PUT", "/v1/templates/" + key, ADMIN, """
                {"key":"%s","name":"Replay","defaultChannels":["EMAIL"],"variables":[{"name":"code","type":"STRING","required":true}],
                 "content":{"default":{"EMAIL":{"subject":"Hello","text":"Your code {{code}}"}}}}""".formatted(key));
        assertThat(v2.status()).as(v2.raw()).isEqualTo(200);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/2/publish", ADMIN, null).status()).isEqualTo(200);
        Reply fresh = call("POST", "/v1/notifications", APP, body.formatted("tpl-" + UUID.randomUUID()));
        assertThat(fresh.status()).as("a new send with that body is refused now").isEqualTo(422);
        long before = rows();

        Reply replay = call("POST", "/v1/notifications", APP, body.formatted(alone));
        assertThat(replay.status()).as(replay.raw()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
        Reply batchReplay = call("POST", "/v1/notifications/batch", APP,
                "{\"notifications\":[" + body.formatted(batched) + "," + body.formatted(alone) + "]}");
        assertThat(batchReplay.status()).as(batchReplay.raw()).isEqualTo(200);
        JsonNode results = batchReplay.body().get("results");
        assertThat(results.get(0).get("status").asInt()).as(batchReplay.raw()).isEqualTo(200);
        assertThat(results.get(0).get("notifications")).isEqualTo(batchedOriginal.get("notifications"));
        assertThat(results.get(1).get("status").asInt()).isEqualTo(200);
        assertThat(results.get(1).get("notifications")).isEqualTo(first.body().get("notifications"));
        assertThat(rows()).isEqualTo(before);
    }
}
