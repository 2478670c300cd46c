package io.herald.server.api;

import io.herald.providers.email.SealedUnsubscribeLinks;
import io.herald.providers.email.UnsubscribeScope;
import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Users, devices, preferences, per-user and per-address limits and one-click unsubscribe, over HTTP. */
class UsersAndChoicesApiTest extends ServerTestBase {

    @Override
    protected boolean checksResponsesAgainstOpenApi() {
        return true;
    }

    @Autowired
    SealedUnsubscribeLinks unsubscribeLinks;

    String user;

    @BeforeEach
    void user() {
        user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"grace@example.com\",\"timezone\":\"UTC\"}").status()).isEqualTo(201);
    }

    private String send(String category, String channel) {
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["%s"],"category":"%s",
                 "content":{"title":"t","body":"b","subject":"s","text":"t"}}""".formatted(UUID.randomUUID(), user, channel, category));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.body().get("notifications").get(0).get("status").asString()
                + (r.body().get("notifications").get(0).has("reason")
                        ? ":" + r.body().get("notifications").get(0).get("reason").asString()
                        : "");
    }

    @Test
    void invalidContactsAreRejectedFieldByFieldAndNothingIsStored() {
        String fresh = "new-" + user;
        Reply r = call("PUT", "/v1/users/" + fresh, APP,
                "{\"email\":\"nope\",\"phone\":\"555\",\"timezone\":\"Mars/Olympus\",\"locale\":\"!!\"}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("errors")).extracting(e -> e.get("field").asString()).containsExactlyInAnyOrder("email", "phone",
                "timezone", "locale");
        assertThat(call("GET", "/v1/users/" + fresh, APP, null).status()).isEqualTo(404);
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"grace@example.com\"}").status()).isEqualTo(200);
        assertThat(call("PUT", "/v1/users/bad%20id", APP, "{}").status()).isEqualTo(422);
    }

    @Test
    void devicesRegisterIdempotentlyAndAreRemovable() {
        String token = "a".repeat(64);
        Reply first = call("POST", "/v1/users/" + user + "/devices", APP, "{\"platform\":\"IOS\",\"token\":\"" + token + "\"}");
        assertThat(first.status()).isEqualTo(201);
        Reply again = call("POST", "/v1/users/" + user + "/devices", APP, "{\"platform\":\"IOS\",\"token\":\"" + token + "\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("deviceId")).isEqualTo(first.body().get("deviceId"));
        assertThat(call("POST", "/v1/users/" + user + "/devices", APP, "{\"platform\":\"IOS\",\"token\":\"not hex\"}").status())
                .isEqualTo(422);
        assertThat(call("POST", "/v1/users/" + user + "/devices", APP, "{\"platform\":\"WEB\"}").status()).isEqualTo(422);
        assertThat(call("POST", "/v1/users/" + user + "/devices", APP, "{\"platform\":\"BLACKBERRY\",\"token\":\"x\"}").status())
                .isEqualTo(422);
        assertThat(call("POST", "/v1/users/" + user + "/devices", APP, "{\"platform\":\"ANDROID\",\"token\":\"fcm-token-1\"}").status())
                .isEqualTo(201);
        JsonNode list = call("GET", "/v1/users/" + user + "/devices", APP, null).body().get("items");
        assertThat(list).hasSize(2);

        // a PUSH send fans out to every active device
        Reply push = call("POST", "/v1/notifications", APP, """
                {"eventId":"push-%s","userId":"%s","channels":["PUSH"],"content":{"title":"t","body":"b"}}""".formatted(user, user));
        assertThat(push.body().get("notifications")).hasSize(2);

        String id = first.body().get("deviceId").asString();
        assertThat(call("DELETE", "/v1/users/" + user + "/devices/" + id, APP, null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/v1/users/" + user + "/devices/" + id, APP, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/users/" + user + "/devices", APP, null).body().get("items")).hasSize(1);
    }

    @Test
    void optOutsSuppressAtIntakeWithTheirReason() {
        assertThat(send("social", "EMAIL")).isEqualTo("QUEUED");
        Reply p = call("PUT", "/v1/users/" + user + "/preferences", APP, """
                {"channels":{"EMAIL":false},"categories":{"social":{"PUSH":false}},"quietHours":null}""");
        assertThat(p.status()).as(p.raw()).isEqualTo(200);
        assertThat(call("GET", "/v1/users/" + user + "/preferences", APP, null).body().get("channels").get("EMAIL").asBoolean()).isFalse();
        assertThat(send("social", "EMAIL")).isEqualTo("SUPPRESSED:OPTED_OUT");
        // transactional cannot be opted out of
        assertThat(send("transactional", "EMAIL")).isEqualTo("QUEUED");
        // marketing is opt-in
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"grace@example.com\",\"phone\":\"+14155550100\"}").status())
                .isEqualTo(200);
        assertThat(send("marketing", "SMS")).startsWith("SUPPRESSED:OPTED_OUT");
        assertThat(call("PUT", "/v1/users/" + user + "/preferences", APP, "{\"channels\":{\"WHATSAPP\":true}}").status()).isEqualTo(422);
    }

    @Test
    void aRunawayCallerCannotFloodAUser() {
        call("PUT", "/v1/users/" + user + "/preferences", APP, "{\"categories\":{\"marketing\":{\"EMAIL\":true}}}");
        int queued = 0, limited = 0;
        for (int i = 0; i < 12; i++) {
            String s = send("marketing", "EMAIL");
            if (s.equals("QUEUED")) queued++;
            if (s.equals("SUPPRESSED:RATE_LIMITED")) limited++;
        }
        assertThat(queued).isEqualTo(3);
        assertThat(limited).isEqualTo(9);
    }

    @Test
    void aRunawayCallerCannotFloodAnAddressWithOneOffSends() {
        String address = "oneoff-" + user + "@example.com"; // fresh per run: the limiter's buckets outlive a test
        int queued = 0, limited = 0;
        for (int i = 0; i < 12; i++) {
            Reply r = call("POST", "/v1/notifications", APP, """
                    {"eventId":"%s","to":{"email":"%s"},"category":"marketing","content":{"subject":"s","text":"t"}}"""
                    .formatted(UUID.randomUUID(), address));
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            JsonNode n = r.body().get("notifications").get(0);
            String s = n.get("status").asString() + (n.has("reason") ? ":" + n.get("reason").asString() : "");
            if (s.equals("QUEUED")) queued++;
            if (s.equals("SUPPRESSED:RATE_LIMITED")) limited++;
        }
        assertThat(queued).isEqualTo(3);
        assertThat(limited).isEqualTo(9);
    }

    @Test
    void oneClickUnsubscribeRecordsTheOptOutWithoutRedirecting() {
        Reply created = call("GET", "/v1/users/" + user, APP, null);
        assertThat(created.status()).isEqualTo(200);
        long appId = 1; // the bootstrap app is the first app of this schema
        String token = unsubscribeLinks.seal(UnsubscribeScope.ofAddress(appId, "grace@example.com", "social"));
        Reply r = call("POST", "/v1/unsubscribe/" + token, null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(call("GET", "/v1/users/" + user + "/preferences", APP, null).body().get("categories").get("social").get("EMAIL")
                .asBoolean()).isFalse();
        assertThat(send("social", "EMAIL")).isEqualTo("SUPPRESSED:OPTED_OUT");
        assertThat(call("POST", "/v1/unsubscribe/" + token + "x", null, null).status()).isEqualTo(404);
    }

    @Test
    void deletingAUserErasesContactsButKeepsRedactedHistory() {
        Reply sent = call("POST", "/v1/notifications", APP, """
                {"eventId":"erase-%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(user, user));
        String id = sent.body().get("notifications").get(0).get("id").asString();
        assertThat(call("DELETE", "/v1/users/" + user, APP, null).status()).isEqualTo(204);
        assertThat(call("GET", "/v1/users/" + user, APP, null).status()).isEqualTo(404);
        Reply trace = call("GET", "/v1/notifications/" + id, APP, null);
        assertThat(trace.status()).isEqualTo(200);
        assertThat(trace.body().get("target").asString()).isEqualTo("[erased]");
        assertThat(trace.raw()).doesNotContain("grace@example.com");
    }

    @Test
    void deletingAUserCancelsWhatStillWaitsForThem() {
        Reply later = call("POST", "/v1/notifications", APP, """
                {"eventId":"erase-later-%s","userId":"%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"},
                 "sendAt":"%s"}""".formatted(user, user, java.time.Instant.now().plusSeconds(3600)));
        assertThat(later.status()).as(later.raw()).isEqualTo(202);
        String id = later.body().get("notifications").get(0).get("id").asString();
        assertThat(call("DELETE", "/v1/users/" + user, APP, null).status()).isEqualTo(204);
        Reply trace = call("GET", "/v1/notifications/" + id, APP, null);
        assertThat(trace.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(trace.body().get("reason").asString()).isEqualTo("CANCELLED");
        JsonNode last = trace.body().get("events").get(trace.body().get("events").size() - 1);
        assertThat(last.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(last.get("detail").asString()).isEqualTo("the recipient was erased");
    }
}
