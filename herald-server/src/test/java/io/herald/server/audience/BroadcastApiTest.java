package io.herald.server.audience;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Audience sends over HTTP: topic, all and filter audiences, fanned out by the scheduler of the same server. */
class BroadcastApiTest extends ServerTestBase {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Imports {@code n} users named prefix-0000.. with an email, the given topic and attributes plan=pro|free alternately. */
    private void importUsers(String prefix, int n, String topic) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(
                    """
                            {"userId":"%s-%04d","email":"u%d@example.com","timezone":"Europe/Paris","attributes":{"plan":"%s","n":%d},"topics":["%s"]}"""
                            .formatted(prefix, i, i, i % 2 == 0 ? "pro" : "free", i, topic));
        }
        for (int from = 0; from < n; from += 1000) {
            Reply r = call("POST", "/v1/users/batch", APP,
                    "{\"users\":[" + String.join(",", items.subList(from, Math.min(n, from + 1000))) + "]}");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
        }
    }

    private JsonNode awaitDone(String broadcastId) {
        Reply r = await("/v1/broadcasts/" + broadcastId, APP,
                x -> x.status() == 200 && !x.body().get("status").asString().equals("FANNING_OUT"));
        assertThat(r.body().get("status").asString()).as(r.raw()).isEqualTo("COMPLETED");
        return r.body();
    }

    private List<JsonNode> notificationsOf(String eventId) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Reply r = call("GET", "/v1/notifications?limit=500&eventId=" + eventId + (cursor == null ? "" : "&cursor=" + cursor), APP,
                    null);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            r.body().get("items").forEach(all::add);
            cursor = r.body().has("nextCursor") && !r.body().get("nextCursor").isNull() ? r.body().get("nextCursor").asString() : null;
        } while (cursor != null);
        return all;
    }

    @Test
    void aTopicBroadcastGivesEverySubscriberExactlyOneNotificationThroughTheirPreferences() {
        String p = unique("tb"), topic = unique("topic");
        importUsers(p, 1203, topic);
        // one subscriber opted out of email: the broadcast suppresses theirs, like a single send would
        assertThat(call("PUT", "/v1/users/" + p + "-0007/preferences", APP, "{\"channels\":{\"EMAIL\":false}}").status()).isEqualTo(200);
        String eventId = unique("evt");
        String body = """
                {"eventId":"%s","topic":"%s","channels":["EMAIL"],"category":"social",
                 "content":{"subject":"News","text":"Hello"}}""".formatted(eventId, topic);
        Reply accepted = call("POST", "/v1/notifications", APP, body);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        assertThat(accepted.body().get("status").asString()).isEqualTo("FANNING_OUT");
        String id = accepted.body().get("broadcastId").asString();
        assertThat(accepted.body().get("eventId").asString()).isEqualTo(eventId);

        JsonNode done = awaitDone(id);
        assertThat(done.get("recipients").asLong()).isEqualTo(1203);
        assertThat(done.get("planned").asLong()).isEqualTo(1203);
        assertThat(done.get("suppressed").asLong()).isEqualTo(1);
        assertThat(done.get("audience").get("topic").asString()).isEqualTo(topic);

        List<JsonNode> items = notificationsOf(eventId);
        Set<String> users = new HashSet<>();
        items.forEach(n -> users.add(n.get("userId").asString()));
        assertThat(items).hasSize(1203);
        assertThat(users).hasSize(1203);
        assertThat(items).allSatisfy(n -> assertThat(n.get("priority").asString()).isEqualTo("NORMAL"));
        assertThat(items).allSatisfy(n -> assertThat(n.get("broadcastId").asString()).isEqualTo(id));

        // the same request again is a replay: same broadcast, nothing new
        Reply replay = call("POST", "/v1/notifications", APP, body);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("broadcastId").asString()).isEqualTo(id);
        assertThat(notificationsOf(eventId)).hasSize(1203);
    }

    @Test
    void aBroadcastWithPushReachesEveryActiveDeviceAndOneWithoutPushNeedsNone() {
        String p = unique("pd"), topic = unique("topic");
        // user 0: two devices, user 1: none, user 2: one
        String users = """
                {"users":[
                 {"userId":"%1$s-0","email":"a@example.com","devices":[{"platform":"IOS","token":"%2$s"},{"platform":"ANDROID","token":"fcm-%1$s-0b"}],"topics":["%3$s"]},
                 {"userId":"%1$s-1","email":"b@example.com","topics":["%3$s"]},
                 {"userId":"%1$s-2","email":"c@example.com","devices":[{"platform":"ANDROID","token":"fcm-%1$s-2"}],"topics":["%3$s"]}]}"""
                .formatted(p, "%064x".formatted(p.hashCode() & 0xffffffffL), topic);
        Reply imported = call("POST", "/v1/users/batch", APP, users);
        assertThat(imported.status()).as(imported.raw()).isEqualTo(200);

        String withPush = unique("evt");
        Reply a = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","topic":"%s","channels":["PUSH","EMAIL"],"content":{"title":"t","body":"b","subject":"s","text":"x"}}"""
                .formatted(withPush, topic));
        assertThat(a.status()).as(a.raw()).isEqualTo(202);
        awaitDone(a.body().get("broadcastId").asString());
        Map<String, Long> pushTargets = new java.util.TreeMap<>();
        for (JsonNode n : notificationsOf(withPush)) {
            if (n.get("channel").asString().equals("PUSH") && n.hasNonNull("target"))
                pushTargets.merge(n.get("userId").asString(), 1L, Long::sum);
        }
        assertThat(pushTargets).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(p + "-0", 2L, p + "-2", 1L)));
        assertThat(notificationsOf(withPush).stream().filter(n -> n.get("channel").asString().equals("EMAIL"))).hasSize(3);

        // EMAIL only: its pages skip the devices lookup, and nobody gets a PUSH
        String emailOnly = unique("evt");
        Reply b = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","topic":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"x"}}""".formatted(emailOnly, topic));
        assertThat(b.status()).as(b.raw()).isEqualTo(202);
        awaitDone(b.body().get("broadcastId").asString());
        assertThat(notificationsOf(emailOnly)).hasSize(3).allSatisfy(n -> assertThat(n.get("channel").asString()).isEqualTo("EMAIL"));
    }

    @Test
    void filtersSelectByAttributesLocaleAndTimezoneAndAllReachesEveryone() {
        String p = unique("fb"), topic = unique("topic");
        importUsers(p, 10, topic);
        String eventId = unique("evt");
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","audience":{"filter":{"timezone":"Europe/Paris","attributes":{"plan":"pro","n":4}}},"channels":["EMAIL"],
                 "content":{"subject":"s","text":"t"}}""".formatted(eventId));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        awaitDone(r.body().get("broadcastId").asString());
        assertThat(notificationsOf(eventId)).extracting(n -> n.get("userId").asString()).containsExactly(p + "-0004");

        String all = unique("evt");
        Reply everyone = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","audience":{"all":true},"channels":["IN_APP"],"content":{"title":"t","body":"b"}}""".formatted(all));
        assertThat(everyone.status()).as(everyone.raw()).isEqualTo(202);
        JsonNode done = awaitDone(everyone.body().get("broadcastId").asString());
        assertThat(done.get("recipients").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(notificationsOf(all)).extracting(n -> n.get("userId").asString()).contains(p + "-0000", p + "-0009");
    }

    @Test
    void badAudienceSendsAreRefusedAndStoreNothing() {
        String eventId = unique("bad");
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","topic":"t","userId":"u1","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(eventId))
                .status()).isEqualTo(422);
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","audience":{},"channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(eventId)).status())
                .isEqualTo(422);
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","audience":{"filter":{}},"channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(eventId))
                .status()).isEqualTo(422);
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","topic":"t","channels":["EMAIL"],"content":{"title":"only a title"}}""".formatted(eventId)).status())
                .isEqualTo(422);
        assertThat(call("POST", "/v1/notifications/batch", APP,
                """
                        {"notifications":[{"eventId":"%s","topic":"t","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}]}"""
                        .formatted(eventId))
                .body().get("results").get(0).get("status").asInt()).isEqualTo(422);
        // the eventId was never taken: a single send may still use it
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","to":{"email":"x@example.com"},"channels":["EMAIL"],"content":{"subject":"s","text":"t"}}"""
                .formatted(eventId)).status()).isEqualTo(202);
        // and now a broadcast may not
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","topic":"t","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(eventId)).status())
                .isEqualTo(409);
        assertThat(call("GET", "/v1/broadcasts/" + UUID.randomUUID(), APP, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/broadcasts/not-a-uuid", APP, null).status()).isEqualTo(400);
    }

    @Test
    void cancellingStopsWhatWasNotQueuedYet() {
        String p = unique("cb"), topic = unique("topic");
        importUsers(p, 20, topic);
        String eventId = unique("evt");
        Instant later = Instant.now().plus(1, ChronoUnit.HOURS);
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","topic":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"},"sendAt":"%s"}"""
                .formatted(eventId, topic, later));
        String id = r.body().get("broadcastId").asString();
        assertThat(awaitDone(id).get("scheduled").asLong()).isEqualTo(20);
        Reply cancelled = call("DELETE", "/v1/broadcasts/" + id, APP, null);
        assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
        assertThat(cancelled.body().get("cancelled").asLong()).isEqualTo(20);
        assertThat(notificationsOf(eventId)).allSatisfy(n -> assertThat(n.get("status").asString()).isEqualTo("CANCELLED"));
    }

    @Test
    void eachRecipientGoesThroughTheirOwnOptInsAndRateLimits() {
        String p = unique("rl"), topic = unique("topic");
        importUsers(p, 3, topic);
        for (String u : List.of(p + "-0000", p + "-0001")) {
            assertThat(call("PUT", "/v1/users/" + u + "/preferences", APP, "{\"categories\":{\"marketing\":{\"EMAIL\":true}}}").status())
                    .isEqualTo(200);
        }
        // the first user already had the day's 3 marketing emails
        for (int i = 0; i < 3; i++) {
            Reply r = call("POST", "/v1/notifications", APP,
                    """
                            {"eventId":"%s-single-%d","userId":"%s-0000","channels":["EMAIL"],"category":"marketing","content":{"subject":"s","text":"t"}}"""
                            .formatted(p, i, p));
            assertThat(r.body().get("notifications").get(0).get("status").asString()).isEqualTo("QUEUED");
        }
        String eventId = unique("evt");
        Reply b = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","topic":"%s","channels":["EMAIL"],"category":"marketing","content":{"subject":"Sale","text":"t"}}"""
                .formatted(eventId, topic));
        awaitDone(b.body().get("broadcastId").asString());
        java.util.Map<String, String> outcome = new java.util.HashMap<>();
        notificationsOf(eventId).forEach(n -> outcome.put(n.get("userId").asString(),
                n.get("status").asString() + (n.has("reason") ? ":" + n.get("reason").asString() : "")));
        assertThat(outcome).hasSize(3).containsEntry(p + "-0000", "SUPPRESSED:RATE_LIMITED").containsEntry(p + "-0002",
                "SUPPRESSED:OPTED_OUT");
        assertThat(outcome.get(p + "-0001")).as("queued, and perhaps already sent").isIn("QUEUED", "SENDING", "SENT");
    }
}
