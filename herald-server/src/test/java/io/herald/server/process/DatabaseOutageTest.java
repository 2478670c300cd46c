package io.herald.server.process;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away under a running server and comes back. The server reaches PostgreSQL through a TCP
 * proxy that the test cuts (every connection dropped, new ones closed at once) and restores. During the outage a
 * send answers 503 with Retry-After and stores nothing, whether or not the app's credentials are still cached;
 * after the restore, the same sends succeed (202, not a replay) without restarting the server.
 */
@Tag("process")
class DatabaseOutageTest {

    private static final Duration AUTH_CACHE = Duration.ofSeconds(3);

    private final String schema = TestPostgres.newSchema("dboutage");
    private final SchemaDb db = new SchemaDb(schema);
    private TcpProxy proxy;
    private ServerProcess server;

    @AfterEach
    void cleanUp() {
        try {
            if (server != null) server.close();
            if (proxy != null) proxy.close();
        } finally {
            db.close();
            TestPostgres.dropSchema(schema);
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void sendsAnswer503DuringAnOutageAndWorkAgainAfterIt() {
        URI pg = URI.create(TestPostgres.URL.substring("jdbc:".length()));
        proxy = new TcpProxy(pg.getHost(), pg.getPort());
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + pg.getPath();
        server = ServerProcess.builder(schema, "outage-server").dbUrl(proxied)
                .set("herald.db.connection-timeout", "2s")
                .set("herald.api.auth-cache-seconds", Long.toString(AUTH_CACHE.toSeconds()))
                .start().awaitReady(Duration.ofSeconds(90));
        long pid = server.pid();

        // before: a send goes all the way
        long lastAuth = System.nanoTime();
        HttpResponse<String> before = server.post("/v1/notifications", Payloads.item("outage-before", 0, 1));
        assertThat(before.statusCode()).as(before.body()).isEqualTo(202);
        UUID beforeId = Payloads.notificationIds(Payloads.JSON.readTree(before.body())).getFirst();
        SchemaDb.await("the first send SENT", Duration.ofSeconds(30),
                () -> db.count("SELECT count(*) FROM notifications WHERE id = ? AND status = 'SENT'", beforeId) == 1);

        // verify the credentials against the database right now (the first send's cache entry has lapsed), then cut:
        // the next request finds them cached and meets the outage in intake itself
        waitUntil(lastAuth, AUTH_CACHE.plusMillis(300));
        long authAt = System.nanoTime();
        HttpResponse<String> trace = server.get("/v1/notifications/" + beforeId);
        assertThat(trace.statusCode()).as(trace.body()).isEqualTo(200);
        proxy.cut();
        // (a) credentials cached: the send's own transaction cannot get a connection
        long t = System.nanoTime();
        HttpResponse<String> cached = server.post("/v1/notifications", Payloads.item("down", 1, 1));
        Duration cachedLatency = Duration.ofNanos(System.nanoTime() - t);
        assertUnavailable(cached);

        // (b) once the cache has lapsed, authentication needs the database too
        waitUntil(authAt, AUTH_CACHE.plusMillis(500));
        HttpResponse<String> uncached = server.post("/v1/notifications", Payloads.item("down", 2, 1));
        assertUnavailable(uncached);
        HttpResponse<String> batch = server.post("/v1/notifications/batch", Payloads.batch("down", 3, 5, 1));
        assertUnavailable(batch);

        HttpResponse<String> readiness = server.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).as("readiness during the outage: " + readiness.body()).isEqualTo(503);

        // nothing of it was stored (read straight from PostgreSQL, not through the proxy)
        assertThat(db.count("SELECT count(*) FROM notifications WHERE event_id LIKE 'down-%'")).isZero();
        assertThat(db.count("SELECT count(*) FROM send_requests WHERE event_id LIKE 'down-%'")).isZero();

        // after the restore the same sends are accepted as new (202, not a 200 replay), by the same process
        proxy.restore();
        long restored = System.nanoTime();
        List<Integer> whileRecovering = new ArrayList<>();
        var last = new java.util.concurrent.atomic.AtomicReference<HttpResponse<String>>();
        SchemaDb.await("a send to be accepted after the restore", Duration.ofSeconds(30), () -> {
            last.set(server.post("/v1/notifications", Payloads.item("down", 1, 1)));
            if (last.get().statusCode() == 503) {
                whileRecovering.add(503);
                return false;
            }
            return true;
        }, () -> "last answer " + last.get().statusCode() + " " + last.get().body());
        Duration recovery = Duration.ofNanos(System.nanoTime() - restored);
        assertThat(last.get().statusCode()).as(last.get().body()).isEqualTo(202);
        assertThat(server.post("/v1/notifications", Payloads.item("down", 2, 1)).statusCode()).isEqualTo(202);
        HttpResponse<String> batchAgain = server.post("/v1/notifications/batch", Payloads.batch("down", 3, 5, 1));
        assertThat(Payloads.acceptedIds(batchAgain, 2)).hasSize(2);
        SchemaDb.await("sends after the outage SENT", Duration.ofSeconds(30),
                () -> db.count("SELECT count(*) FROM notifications WHERE event_id LIKE 'down-%' AND status = 'SENT'") == 4,
                () -> "statuses " + db.statusCounts());
        assertThat(db.count("SELECT count(*) FROM notifications WHERE event_id LIKE 'down-%'")).isEqualTo(4);
        assertThat(server.isAlive()).isTrue();
        assertThat(server.pid()).as("no restart").isEqualTo(pid);
        assertThat(server.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        System.out.printf("DatabaseOutageTest: 503 with cached credentials after %d ms; uncached %s; recovered %d ms after the restore"
                + " (%d more 503 while the pool reconnected)%n",
                cachedLatency.toMillis(), uncached.statusCode(), recovery.toMillis(), whileRecovering.size());
    }

    /** Lets a cache entry lapse: not an assertion, the TTL is the point. */
    private static void waitUntil(long since, Duration after) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - since);
        if (elapsed.compareTo(after) < 0) ServerProcess.pause(after.minus(elapsed));
    }

    private static void assertUnavailable(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("answer during the outage: " + r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).as("Retry-After")
                .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }
}
