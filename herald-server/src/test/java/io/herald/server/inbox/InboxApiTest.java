package io.herald.server.inbox;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox API over real HTTP: tokens, feed, cursor, statuses, counts, tracking, CORS and the event stream. */
class InboxApiTest extends ServerTestBase {

    @Override
    protected boolean checksResponsesAgainstOpenApi() {
        return true;
    }

    @Autowired
    JdbcTemplate jdbc;

    String user;
    String token;

    @BeforeEach
    void user() {
        user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"ada@example.com\"}").status()).isEqualTo(201);
        token = mint(user);
    }

    String mint(String userId) {
        Reply r = call("POST", "/v1/users/" + userId + "/inbox-token", APP, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(Instant.parse(r.body().get("expiresAt").asString())).isAfter(Instant.now().plusSeconds(3000));
        return r.body().get("token").asString();
    }

    Reply inbox(String method, String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("Content-Type").orElse("");
            return new Reply(r.statusCode(), ct, ct.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null, r.body(),
                    r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends an IN_APP notification and waits until it is in the inbox; returns the notification id. */
    String send(String userId, String title) {
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["IN_APP"],
                 "content":{"title":"%s","body":"Body of %s","url":"https://shop.example.com/orders/1","data":{"orderId":"1"}}}"""
                .formatted(UUID.randomUUID(), userId, title, title));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().get("notifications").get(0).get("id").asString();
        await("/v1/notifications/" + id, APP, x -> x.body().get("status").asString().equals("SENT"));
        return id;
    }

    @Test
    void sentMessageAppearsInTheFeedAndReadingItFeedsTracking() {
        String id = send(user, "Your order shipped");
        Reply trace = call("GET", "/v1/notifications/" + id, APP, null);
        assertThat(trace.body().get("status").asString()).isEqualTo("SENT");
        assertThat(trace.body().get("provider").asString()).isEqualTo("inbox");
        assertThat(trace.body().get("target").asString()).isEqualTo("inbox:" + user);

        Reply feed = inbox("GET", "/v1/inbox", token);
        assertThat(feed.status()).as(feed.raw()).isEqualTo(200);
        assertThat(feed.body().get("unreadCount").asLong()).isEqualTo(1);
        JsonNode item = feed.body().get("items").get(0);
        assertThat(item.get("id").asString()).isEqualTo(id);
        assertThat(item.get("title").asString()).isEqualTo("Your order shipped");
        assertThat(item.get("body").asString()).isEqualTo("Body of Your order shipped");
        assertThat(item.get("url").asString()).isEqualTo("https://shop.example.com/orders/1");
        assertThat(item.get("data").get("orderId").asString()).isEqualTo("1");
        assertThat(item.has("readAt")).isFalse();
        assertThat(feed.body().get("nextCursor").isNull()).isTrue();

        Reply read = inbox("POST", "/v1/inbox/" + id + "/read", token);
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        assertThat(read.body().has("readAt")).isTrue();
        assertThat(read.body().get("unreadCount").asLong()).isZero();
        inbox("POST", "/v1/inbox/" + id + "/read", token); // reading again is not a second open
        assertThat(inbox("POST", "/v1/inbox/" + id + "/click", token).status()).isEqualTo(200);

        Reply after = call("GET", "/v1/notifications/" + id, APP, null);
        assertThat(after.body().get("status").asString()).isEqualTo("DELIVERED");
        List<String> events = new ArrayList<>();
        after.body().get("events").forEach(e -> events.add(e.get("status").asString()));
        assertThat(events).containsSubsequence("QUEUED", "SENDING", "SENT", "OPENED", "CLICKED");
        assertThat(events.stream().filter("OPENED"::equals).count()).isEqualTo(1);
    }

    @Test
    void statusesUnreadCountsAndReadAll() {
        String a = send(user, "A");
        String b = send(user, "B");
        String c = send(user, "C");
        assertThat(inbox("GET", "/v1/inbox", token).body().get("unreadCount").asLong()).isEqualTo(3);

        assertThat(inbox("POST", "/v1/inbox/" + a + "/read", token).body().get("unreadCount").asLong()).isEqualTo(2);
        assertThat(inbox("POST", "/v1/inbox/" + b + "/archive", token).body().get("unreadCount").asLong()).isEqualTo(1);
        assertThat(ids(inbox("GET", "/v1/inbox", token))).containsExactly(c, a);
        assertThat(ids(inbox("GET", "/v1/inbox?status=unread", token))).containsExactly(c);
        assertThat(ids(inbox("GET", "/v1/inbox?status=read", token))).containsExactly(a);
        assertThat(ids(inbox("GET", "/v1/inbox?status=archived", token))).containsExactly(b);
        assertThat(inbox("POST", "/v1/inbox/" + a + "/unread", token).body().get("unreadCount").asLong()).isEqualTo(2);

        Reply all = inbox("POST", "/v1/inbox/read-all", token);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().get("marked").asInt()).isEqualTo(2);
        assertThat(all.body().get("unreadCount").asLong()).isZero();
        assertThat(ids(inbox("GET", "/v1/inbox?status=unread", token))).isEmpty();
        assertThat(ids(inbox("GET", "/v1/inbox?status=read", token))).containsExactly(c, a);
    }

    @Test
    void cursorWalksTheWholeFeedOnce() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) sent.add(send(user, "M" + i));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = inbox("GET", "/v1/inbox?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            seen.addAll(ids(page));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(sent.reversed());
    }

    @Test
    void badQueryParametersAre400sNamingTheParameter() {
        Reply cursor = inbox("GET", "/v1/inbox?cursor=not-a-cursor", token);
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.contentType()).startsWith("application/problem+json");
        assertThat(cursor.body().get("detail").asString()).contains("cursor");
        assertThat(inbox("GET", "/v1/inbox?status=new", token).body().get("detail").asString()).contains("status");
        assertThat(inbox("GET", "/v1/inbox?limit=0", token).status()).isEqualTo(400);
        assertThat(inbox("POST", "/v1/inbox/" + UUID.randomUUID() + "/read", token).status()).isEqualTo(404);
        assertThat(call("POST", "/v1/users/" + user + "/inbox-token", APP, "{\"ttl\":\"P30D\"}").status()).isEqualTo(422);
    }

    @Test
    void aTokenSeesOnlyItsOwnUser() {
        String mine = send(user, "Private to " + user);
        String other = "u-" + UUID.randomUUID().toString().substring(0, 8);
        call("PUT", "/v1/users/" + other, APP, "{}");
        String otherToken = mint(other);
        Reply feed = inbox("GET", "/v1/inbox", otherToken);
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.body().get("items")).isEmpty();
        assertThat(feed.body().get("unreadCount").asLong()).isZero();
        assertThat(inbox("POST", "/v1/inbox/" + mine + "/read", otherToken).status()).isEqualTo(404);
        assertThat(inbox("POST", "/v1/inbox/" + mine + "/archive", otherToken).status()).isEqualTo(404);
        assertThat(inbox("GET", "/v1/inbox", token).body().get("unreadCount").asLong()).isEqualTo(1);
    }

    @Test
    void missingForgedExpiredAndAppTokensAreRefused() {
        assertThat(inbox("GET", "/v1/inbox", null).status()).isEqualTo(401);
        Reply app = call("GET", "/v1/inbox", APP, null);
        assertThat(app.status()).isEqualTo(401);
        assertThat(app.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        char last = token.charAt(token.length() - 2);
        String forged = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertThat(inbox("GET", "/v1/inbox", forged).status()).isEqualTo(401);
        // a token for another user made by tampering with the payload is refused too
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("app1\nsomeone-else\n" + Instant.now().plusSeconds(600).getEpochSecond()).getBytes());
        assertThat(inbox("GET", "/v1/inbox", parts[0] + "." + otherPayload + "." + parts[2]).status()).isEqualTo(401);
        // ?token= is for the stream alone
        assertThat(inbox("GET", "/v1/inbox?token=" + token, null).status()).isEqualTo(401);

        Reply expired = inbox("GET", "/v1/inbox", expiredToken(user));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().get("detail").asString()).contains("expired");
    }

    String expiredToken(String userId) {
        return new InboxApiTestTokens(jdbc).expired(userId);
    }

    @Test
    void rotatingTheAppSecretEndsItsInboxTokens() {
        Reply app = call("POST", "/v1/apps", ADMIN, "{\"name\":\"rotating\"}");
        assertThat(app.status()).as(app.raw()).isEqualTo(201);
        String key = app.body().get("appKey").asString();
        String creds = key + ":" + app.body().get("appSecret").asString();
        assertThat(call("PUT", "/v1/users/ada", creds, "{}").status()).isEqualTo(201);
        String old = call("POST", "/v1/users/ada/inbox-token", creds, null).body().get("token").asString();
        assertThat(inbox("GET", "/v1/inbox", old).status()).isEqualTo(200);

        Reply rotated = call("POST", "/v1/apps/" + key + "/rotate-secret", ADMIN, null);
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
        String newCreds = key + ":" + rotated.body().get("appSecret").asString();
        assertThat(call("GET", "/v1/users/ada", creds, null).status()).isEqualTo(401);
        // tokens end once the few seconds of app caching have passed
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status;
        do {
            status = inbox("GET", "/v1/inbox", old).status();
        } while (status == 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(401);
        String fresh = call("POST", "/v1/users/ada/inbox-token", newCreds, null).body().get("token").asString();
        assertThat(inbox("GET", "/v1/inbox", fresh).status()).isEqualTo(200);
    }

    @Test
    void preferencesAndRecipientRulesApplyToInApp() {
        assertThat(call("PUT", "/v1/users/" + user + "/preferences", APP, "{\"channels\":{\"IN_APP\":false}}").status()).isEqualTo(200);
        Reply optedOut = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["IN_APP"],"content":{"title":"Not wanted"}}""".formatted(UUID.randomUUID(),
                user));
        assertThat(optedOut.status()).as(optedOut.raw()).isEqualTo(202);
        assertThat(optedOut.body().get("notifications").get(0).get("status").asString()).isEqualTo("SUPPRESSED");
        assertThat(optedOut.body().get("notifications").get(0).get("reason").asString()).isEqualTo("OPTED_OUT");

        Reply oneOff = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","to":{"email":"ada@example.com"},"channels":["IN_APP"],"content":{"title":"Hi"}}"""
                .formatted(UUID.randomUUID()));
        assertThat(oneOff.status()).as(oneOff.raw()).isEqualTo(202);
        assertThat(oneOff.body().get("notifications").get(0).get("reason").asString()).isEqualTo("NO_RECIPIENT");

        Reply noContent = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["IN_APP"],"content":{"subject":"only email fields"}}"""
                .formatted(UUID.randomUUID(), user));
        assertThat(noContent.status()).isEqualTo(422);
        assertThat(inbox("GET", "/v1/inbox", token).body().get("items")).isEmpty();
    }

    @Test
    void aUserCannotHoldUnboundedStreams() throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) open.add(SseClient.open(port, token, null));
            for (SseClient c : open) c.next("count");
            Reply refused = inbox("GET", "/v1/inbox/stream", token);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        } finally {
            open.forEach(SseClient::close);
        }
    }

    /**
     * An open stream holds only its connection, read for end-of-stream: a client that leaves is forgotten at once,
     * not at the next keep-alive write (15 s), so the user's stream slots come back within a few seconds.
     */
    @Test
    void aClientThatLeavesIsForgottenWithoutWaitingForAKeepAlive() throws Exception {
        List<SseClient> open = new ArrayList<>();
        for (int i = 0; i < 20; i++) open.add(SseClient.open(port, token, null));
        for (SseClient c : open) c.next("count");
        open.forEach(SseClient::close);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status;
        do {
            try (SseClient again = SseClient.open(port, token, null)) {
                status = again.status();
                if (status == 200) assertThat(again.next("count").data().get("unreadCount").asLong()).isZero();
            }
            if (status == 429) java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // polling, not waiting for time
        } while (status == 429 && System.nanoTime() < deadline);
        assertThat(status).as("a stream slot came back well before the 15 s keep-alive").isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentListsTheInbox() {
        Reply docs = call("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").has("/v1/inbox")).isTrue();
        assertThat(docs.body().get("paths").has("/v1/inbox/stream")).isTrue();
        assertThat(docs.body().get("paths").has("/v1/users/{userId}/inbox-token")).isTrue();
    }

    @Test
    void erasingTheUserErasesTheInbox() {
        send(user, "Personal");
        assertThat(call("DELETE", "/v1/users/" + user, APP, null).status()).isEqualTo(204);
        Reply feed = inbox("GET", "/v1/inbox", token);
        assertThat(feed.body().get("items")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox_items WHERE user_id = ?", Long.class, user)).isZero();
    }

    @Test
    void corsPreflightAllowsTheComponentOnAnotherOrigin() {
        HttpRequest pre = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/inbox/read-all"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization").build();
        try {
            HttpResponse<String> r = HTTP.send(pre, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("authorization");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void streamDeliversNewItemsAndCountsAndResumesWithLastEventId() throws Exception {
        try (SseClient live = SseClient.open(port, token, null)) {
            assertThat(live.next("count").data().get("unreadCount").asLong()).isZero();
            String first = send(user, "Live one");
            SseClient.Event msg = live.next("message");
            assertThat(msg.data().get("id").asString()).isEqualTo(first);
            assertThat(msg.data().get("title").asString()).isEqualTo("Live one");
            assertThat(live.next("count").data().get("unreadCount").asLong()).isEqualTo(1);
            inbox("POST", "/v1/inbox/" + first + "/read", token);
            assertThat(live.next("count").data().get("unreadCount").asLong()).isZero();

            // while a client is away, two more arrive; it resumes from the last id it saw
            String second = send(user, "Missed one");
            String third = send(user, "Missed two");
            try (SseClient resumed = SseClient.open(port, token, msg.id())) {
                assertThat(resumed.next("message").data().get("id").asString()).isEqualTo(second);
                assertThat(resumed.next("message").data().get("id").asString()).isEqualTo(third);
                assertThat(resumed.next("count").data().get("unreadCount").asLong()).isEqualTo(2);
            }
        }
        assertThat(inbox("GET", "/v1/inbox/stream", null).status()).isEqualTo(401);
    }

    @Test
    void templateWithInAppContentRendersIntoTheInbox() {
        String key = "inbox_" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = call("POST", "/v1/templates", ADMIN, """
                {"key":"%s","name":"Inbox","defaultChannels":["IN_APP"],
                 "variables":[{"name":"item","type":"STRING","required":true}],
                 "content":{"default":{"IN_APP":{"title":"{{item}} is ready","body":"Pick up your {{item}}",
                   "url":"https://shop.example.com/{{item}}","data":{"item":"{{item}}"}}}}}""".formatted(key));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", ADMIN, null).status()).isEqualTo(200);
        Reply sent = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","template":"%s","data":{"item":"Latte"}}""".formatted(UUID.randomUUID(), user, key));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        String id = sent.body().get("notifications").get(0).get("id").asString();
        await("/v1/notifications/" + id, APP, x -> x.body().get("status").asString().equals("SENT"));
        JsonNode item = inbox("GET", "/v1/inbox", token).body().get("items").get(0);
        assertThat(item.get("title").asString()).isEqualTo("Latte is ready");
        assertThat(item.get("url").asString()).isEqualTo("https://shop.example.com/Latte");
        assertThat(item.get("data").get("item").asString()).isEqualTo("Latte");
    }

    private static List<String> ids(Reply r) {
        List<String> ids = new ArrayList<>();
        r.body().get("items").forEach(i -> ids.add(i.get("id").asString()));
        return ids;
    }
}
