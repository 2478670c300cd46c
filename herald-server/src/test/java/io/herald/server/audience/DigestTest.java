package io.herald.server.audience;

import io.herald.core.audience.DigestService;
import io.herald.core.intake.SendService;
import io.herald.postgres.PostgresDigestStore;
import io.herald.server.ServerTestBase;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Digest windows: merged sends, their flush into one templated delivery, HIGH never held back, windows kept across restarts. */
class DigestTest extends ServerTestBase {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    SendService sends;

    private String user() {
        String u = "dg-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("PUT", "/v1/users/" + u, APP, "{\"email\":\"dg@example.com\"}").status()).isEqualTo(201);
        return u;
    }

    private String template() {
        String key = "digest-" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = call("POST", "/v1/templates", ADMIN,
                """
                        {"key":"%s","name":"Comments","defaultChannels":["EMAIL"],
                         "variables":[{"name":"events","type":"OBJECT","required":true},{"name":"count","type":"NUMBER","required":true}],
                         "content":{"default":{"EMAIL":{"subject":"{{count}} new comments","text":"{{#events}}{{who}}: {{what}}\\n{{/events}}"}}}}"""
                        .formatted(key));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(call("POST", "/v1/templates/" + key + "/versions/1/publish", ADMIN, null).status()).isEqualTo(200);
        return key;
    }

    private Reply send(String eventId, String user, String template, String data, String priority, String window) {
        return call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","template":"%s","data":%s,"priority":"%s","digest":{"key":"comments","window":"%s"}}"""
                .formatted(eventId, user, template, data, priority, window));
    }

    @Test
    void sendsInsideTheWindowBecomeOneDeliveryWhoseTemplateSeesEveryEvent() {
        String u = user(), t = template(), p = UUID.randomUUID().toString();
        Reply first = send(p + "-1", u, t, "{\"who\":\"ann\",\"what\":\"hi\"}", "NORMAL", "PT2S");
        assertThat(first.status()).as(first.raw()).isEqualTo(202);
        assertThat(first.body().get("notifications")).isEmpty();
        String digestId = first.body().get("digest").get("digestId").asString();
        Reply second = send(p + "-2", u, t, "{\"who\":\"bob\",\"what\":\"yo\"}", "NORMAL", "PT2S");
        assertThat(second.body().get("digest").get("digestId").asString()).isEqualTo(digestId);
        assertThat(second.body().get("digest").get("count").asInt()).isEqualTo(2);
        // a replay joins nothing
        assertThat(send(p + "-2", u, t, "{\"who\":\"bob\",\"what\":\"yo\"}", "NORMAL", "PT2S").status()).isEqualTo(200);
        // HIGH is never digested: it goes out at once
        Reply high = send(p + "-otp", u, t, "{\"events\":[{\"who\":\"sys\",\"what\":\"code\"}],\"count\":1}", "HIGH", "PT2S");
        assertThat(high.status()).as(high.raw()).isEqualTo(202);
        assertThat(high.body().get("notifications")).hasSize(1);

        Reply delivered = await("/v1/notifications?eventId=digest-" + digestId, APP, r -> r.body().get("items").size() == 1);
        assertThat(delivered.body().get("items")).hasSize(1);
        String content = jdbc.queryForObject("SELECT content::text FROM notifications WHERE event_id = ?", String.class,
                "digest-" + digestId);
        assertThat(content).contains("2 new comments").contains("ann: hi").contains("bob: yo");
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s-bad","userId":"%s","template":"%s","digest":{"key":"comments","window":"ten minutes"}}""".formatted(p, u, t))
                .status()).isEqualTo(422);
        assertThat(call("POST", "/v1/notifications", APP, """
                {"eventId":"%s-bad2","to":{"email":"x@example.com"},"template":"%s","digest":{"key":"comments","window":"PT1M"}}"""
                .formatted(p, t)).status()).isEqualTo(422);
    }

    @Test
    void aWindowIsStoredAndFlushedWhenItClosesEvenByAnotherProcessInstance() {
        String u = user(), t = template(), p = UUID.randomUUID().toString();
        SettableClock clock = new SettableClock(Instant.now());
        var store = new PostgresDigestStore(jdbc, tx);
        var before = new DigestService(store, sends, clock);
        long app = jdbc.queryForObject("SELECT app_id FROM users WHERE user_id = ?", Long.class, u);
        var joined = before.accept(app, new io.herald.core.intake.SendRequest(p + "-a", u, null, null, t, null,
                Map.of("who", "cy", "what", "one"), null, null, null, null, null, null), "comments", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(4));
        before.accept(app, new io.herald.core.intake.SendRequest(p + "-b", u, null, null, t, null,
                Map.of("who", "di", "what", "two"), null, null, null, null, null, null), "comments", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(5));
        before.flushDue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM notifications WHERE event_id = ?", Long.class,
                "digest-" + joined.window().digestId())).isZero();

        // "after a restart": a new service on the same database flushes the stored window once it is due
        var after = new DigestService(new PostgresDigestStore(jdbc, tx), sends, clock);
        clock.advance(Duration.ofMinutes(1));
        after.flushDue();
        List<String> contents = jdbc.queryForList("SELECT content::text FROM notifications WHERE event_id = ?", String.class,
                "digest-" + joined.window().digestId());
        assertThat(contents).hasSize(1);
        assertThat(contents.getFirst()).contains("2 new comments").contains("cy: one").contains("di: two");
        after.flushDue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM notifications WHERE event_id = ?", Long.class,
                "digest-" + joined.window().digestId())).isEqualTo(1);
        // the next send opens a new window
        var next = after.accept(app, new io.herald.core.intake.SendRequest(p + "-c", u, null, null, t, null,
                Map.of("who", "ed", "what", "three"), null, null, null, null, null, null), "comments", Duration.ofMinutes(10));
        assertThat(next.window().digestId()).isNotEqualTo(joined.window().digestId());
    }
}
