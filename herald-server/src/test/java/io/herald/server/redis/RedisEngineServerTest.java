package io.herald.server.redis;

import io.herald.core.cache.InvalidationBus;
import io.herald.redis.RedisEngine;
import io.herald.redis.RedisSettings;
import io.herald.redis.cache.RedisInvalidationBus;
import io.herald.server.ServerTestBase;
import io.herald.server.security.Authenticator;
import io.herald.testkit.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole server with herald.redis.url set, on a redis-server of this test's own: replays, per-user limits in Redis,
 * a revocation published by another node, and kill -9 / restart of Redis under live traffic (no 5xx, no lost send).
 */
class RedisEngineServerTest extends ServerTestBase {

    private static final TestRedis REDIS = TestRedis.start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        r.add("herald.redis.url", REDIS::url);
        r.add("herald.redis.timeout", () -> "2s"); // a loaded, shared test machine
    }

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedisEngine redis;

    @Autowired
    InvalidationBus bus;

    private String user() {
        String user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"ada@example.com\",\"timezone\":\"UTC\"}").status()).isEqualTo(201);
        assertThat(call("PUT", "/v1/users/" + user + "/preferences", APP, "{\"categories\":{\"marketing\":{\"EMAIL\":true}}}").status())
                .isEqualTo(200);
        return user;
    }

    private Reply marketing(String eventId, String user) {
        return call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["EMAIL"],"category":"marketing","content":{"subject":"s","text":"t"}}"""
                .formatted(eventId, user));
    }

    private static String statusOf(JsonNode receipt) {
        JsonNode n = receipt.get("notifications").get(0);
        return n.get("status").asString() + (n.has("reason") ? ":" + n.get("reason").asString() : "");
    }

    @Test
    void eventIdsAndPerUserLimitsLiveInRedisAndAReplayIsAnsweredAsAlways() {
        String user = user();
        String first = "mkt-" + UUID.randomUUID();
        Reply accepted = marketing(first, user);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        Reply replay = marketing(first, user);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(accepted.body());
        assertThat(redis.<Long>call(c -> c.exists("herald:eid:" + appId() + ":" + first))).isEqualTo(1);

        // marketing: 3 per day per user and channel, in Redis (PostgreSQL's buckets untouched)
        for (int i = 0; i < 2; i++) assertThat(statusOf(marketing("mkt-" + UUID.randomUUID(), user).body())).isEqualTo("QUEUED");
        assertThat(statusOf(marketing("mkt-" + UUID.randomUUID(), user).body())).isEqualTo("SUPPRESSED:RATE_LIMITED");
        assertThat(redis.<java.util.List<String>>call(c -> c.keys("herald:rl:app:" + appId() + ":user:" + user + ":*"))).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rate_limit_buckets WHERE id LIKE ?", Long.class,
                "app:" + appId() + ":user:" + user + ":%")).isZero();
    }

    @Test
    void aRevocationPublishedByAnotherNodeEndsCachedCredentialsAtOnce() throws Exception {
        Reply created = call("POST", "/v1/apps", ADMIN, "{\"name\":\"redis-revocation\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String key = created.body().get("appKey").asString();
        String creds = key + ":" + created.body().get("appSecret").asString();
        assertThat(call("GET", "/v1/notifications?eventId=none", creds, null).status()).isEqualTo(200);

        // another node revokes the app: its database write, then its publication
        jdbc.update("UPDATE apps SET revoked_at = now() WHERE app_key = ?", key);
        assertThat(call("GET", "/v1/notifications?eventId=none", creds, null).status()).as("served from the credential cache")
                .isEqualTo(200);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        bus.subscribe(Authenticator.APPS_TOPIC, heard::add); // after the authenticator's: when this hears, that one has run
        try (RedisEngine otherNode = new RedisEngine(new RedisSettings(REDIS.url(), Duration.ofSeconds(2), null, null));
                RedisInvalidationBus otherBus = new RedisInvalidationBus(otherNode)) {
            otherBus.publish(Authenticator.APPS_TOPIC, key);
            assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(key);
        }
        assertThat(call("GET", "/v1/notifications?eventId=none", creds, null).status()).isEqualTo(401);
    }

    @Test
    void withRedisKilledSendsAndReplaysAreAnsweredAsAlwaysAndRedisIsUsedAgainAfterARestart() throws Exception {
        String user = user();
        String before = "out-" + UUID.randomUUID();
        assertThat(marketing(before, user).status()).isEqualTo(202);

        REDIS.kill();
        try {
            String during = "out-" + UUID.randomUUID();
            Reply accepted = marketing(during, user);
            assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202); // fast path open, limits on PostgreSQL
            assertThat(marketing(during, user).status()).isEqualTo(200);
            assertThat(marketing(before, user).status()).isEqualTo(200);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM rate_limit_buckets WHERE id LIKE ?", Long.class,
                    "app:" + appId() + ":user:" + user + ":%")).isEqualTo(1);
        } finally {
            CountDownLatch back = new CountDownLatch(1);
            redis.onConnected(back::countDown);
            REDIS.restart();
            assertThat(back.await(30, TimeUnit.SECONDS)).isTrue();
        }
        // "connected" comes before the connection takes commands: a send in that moment still falls back to the
        // database (and re-arms the retry period), so ask with fresh sends until one uses Redis again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreException(io.herald.redis.RedisUnavailableException.class)
                .untilAsserted(() -> {
                    String after = "out-" + UUID.randomUUID();
                    assertThat(marketing(after, user).status()).isEqualTo(202);
                    assertThat(redis.<Long>call(c -> c.exists("herald:eid:" + appId() + ":" + after))).isEqualTo(1);
                });
    }

    private long appId() {
        return jdbc.queryForObject("SELECT id FROM apps WHERE app_key = ?", Long.class, APP.substring(0, APP.indexOf(':')));
    }
}
