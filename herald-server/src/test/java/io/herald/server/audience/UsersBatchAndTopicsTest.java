package io.herald.server.audience;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Bulk user import and topics over HTTP, on the real database. */
class UsersBatchAndTopicsTest extends ServerTestBase {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aBatchImportsUsersWithDevicesAndTopicsIdempotentlyAndReportsBadItemsAlone() {
        String p = unique("imp");
        String topic = unique("news");
        String batch = """
                {"users":[
                  {"userId":"%1$s-a","email":"a@example.com","phone":"+14155550100","timezone":"Asia/Seoul","locale":"ko-KR",
                   "attributes":{"plan":"pro"},"devices":[{"platform":"ANDROID","token":"fcm-%1$s-a"}],"topics":["%2$s"]},
                  {"userId":"%1$s-b","email":"not-an-email"},
                  {"userId":"%1$s-c","devices":[{"platform":"IOS","token":"%3$s"}],"topics":["%2$s","other-%2$s"]},
                  {"userId":"%1$s-a","email":"dup@example.com"}
                ]}""".formatted(p, topic, "ab".repeat(32));
        Reply first = call("POST", "/v1/users/batch", APP, batch);
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        JsonNode r = first.body().get("results");
        assertThat(r).hasSize(4);
        assertThat(r.get(0).get("status").asInt()).isEqualTo(201);
        assertThat(r.get(1).get("status").asInt()).isEqualTo(422);
        assertThat(r.get(1).get("errors").get(0).get("field").asString()).isEqualTo("email");
        assertThat(r.get(2).get("status").asInt()).isEqualTo(201);
        assertThat(r.get(3).get("status").asInt()).isEqualTo(422);

        JsonNode a = call("GET", "/v1/users/" + p + "-a", APP, null).body();
        assertThat(a.get("timezone").asString()).isEqualTo("Asia/Seoul");
        assertThat(a.get("attributes").get("plan").asString()).isEqualTo("pro");
        assertThat(call("GET", "/v1/users/" + p + "-a/devices", APP, null).body().get("items")).hasSize(1);
        assertThat(call("GET", "/v1/users/" + p + "-b", APP, null).status()).isEqualTo(404);
        assertThat(subscribers(topic)).containsExactly(p + "-a", p + "-c");
        assertThat(call("GET", "/v1/topics/other-" + topic, APP, null).status()).isEqualTo(200);

        // the same batch again: everything updated, nothing doubled
        Reply again = call("POST", "/v1/users/batch", APP, batch);
        assertThat(again.body().get("results").get(0).get("status").asInt()).isEqualTo(200);
        assertThat(again.body().get("results").get(2).get("status").asInt()).isEqualTo(200);
        assertThat(call("GET", "/v1/users/" + p + "-a/devices", APP, null).body().get("items")).hasSize(1);
        assertThat(call("GET", "/v1/users/" + p + "-c/devices", APP, null).body().get("items")).hasSize(1);
        assertThat(subscribers(topic)).containsExactly(p + "-a", p + "-c");
    }

    @Test
    void aThousandUsersImportInOneCallAndTooManyIsRefused() {
        String p = unique("bulk");
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) items.add("{\"userId\":\"%s-%04d\",\"email\":\"u%d@example.com\"}".formatted(p, i, i));
        long t0 = System.nanoTime();
        Reply r = call("POST", "/v1/users/batch", APP, "{\"users\":[" + String.join(",", items) + "]}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("results")).allSatisfy(x -> assertThat(x.get("status").asInt()).isEqualTo(201));
        assertThat(ms).as("1000 users in one call took %d ms", ms).isLessThan(10_000);
        items.add("{\"userId\":\"one-too-many\"}");
        Reply tooMany = call("POST", "/v1/users/batch", APP, "{\"users\":[" + String.join(",", items) + "]}");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(call("GET", "/v1/users/one-too-many", APP, null).status()).isEqualTo(404);
    }

    @Test
    void topicsAreCreatedRenamedListedPagedAndDeleted() {
        String key = unique("t");
        assertThat(call("PUT", "/v1/topics/" + key, APP, "{\"name\":\"Weekly\"}").status()).isEqualTo(201);
        Reply renamed = call("PUT", "/v1/topics/" + key, APP, "{\"name\":\"Weekly digest\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().get("name").asString()).isEqualTo("Weekly digest");
        assertThat(call("PUT", "/v1/topics/bad%20key", APP, "{\"name\":\"x\"}").status()).isEqualTo(422);
        assertThat(call("PUT", "/v1/topics/" + key, APP, "{}").status()).isEqualTo(422);

        Reply sub = call("POST", "/v1/topics/" + key + "/subscribers", APP,
                "{\"userIds\":[\"u1-" + key + "\",\"u2-" + key + "\",\"u3-" + key + "\"]}");
        assertThat(sub.status()).as(sub.raw()).isEqualTo(200);
        assertThat(sub.body().get("added").asInt()).isEqualTo(3);
        assertThat(
                call("POST", "/v1/topics/" + key + "/subscribers", APP, "{\"userIds\":[\"u1-" + key + "\"]}").body().get("added").asInt())
                .isZero();
        assertThat(call("POST", "/v1/topics/nope-" + key + "/subscribers", APP, "{\"userIds\":[\"u1\"]}").status()).isEqualTo(404);
        assertThat(call("POST", "/v1/topics/" + key + "/subscribers", APP, "{\"userIds\":[\"bad id\"]}").status()).isEqualTo(422);

        Reply page1 = call("GET", "/v1/topics/" + key + "/subscribers?limit=2", APP, null);
        assertThat(page1.body().get("items")).hasSize(2);
        String cursor = page1.body().get("nextCursor").asString();
        Reply page2 = call("GET", "/v1/topics/" + key + "/subscribers?limit=2&cursor=" + cursor, APP, null);
        assertThat(page2.body().get("items")).hasSize(1);
        assertThat(page2.body().get("nextCursor").isNull()).isTrue();
        assertThat(call("GET", "/v1/topics/" + key + "/subscribers?cursor=garbage", APP, null).status()).isEqualTo(400);

        assertThat(call("DELETE", "/v1/topics/" + key + "/subscribers/u2-" + key, APP, null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/v1/topics/" + key + "/subscribers/u2-" + key, APP, null).status()).isEqualTo(404);
        assertThat(subscribers(key)).containsExactly("u1-" + key, "u3-" + key);

        assertThat(call("GET", "/v1/topics?limit=500", APP, null).body().get("items").findValuesAsString("key")).contains(key);
        assertThat(call("DELETE", "/v1/topics/" + key, APP, null).status()).isEqualTo(204);
        assertThat(call("GET", "/v1/topics/" + key, APP, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/topics", null, null).status()).isEqualTo(401);
    }

    private List<String> subscribers(String topic) {
        Reply r = call("GET", "/v1/topics/" + topic + "/subscribers?limit=500", APP, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.body().get("items").forEach(i -> ids.add(i.get("userId").asString()));
        return ids;
    }
}
