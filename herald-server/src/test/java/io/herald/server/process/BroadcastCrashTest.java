package io.herald.server.process;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broadcast's fan-out survives SIGKILL: 20,000 topic subscribers imported in bulk, the scheduler killed mid-way,
 * one subscriber unsubscribed while no process runs; a new process (another instance id) takes the broadcast over
 * once the dead one's lease expires, and every remaining subscriber ends with exactly one notification, none
 * skipped, none doubled, the unsubscribed one with none of those still to come.
 */
@Tag("process")
class BroadcastCrashTest {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final int USERS = 20_000;

    private final String schema = TestPostgres.newSchema("broadcastcrash");
    private final SchemaDb db = new SchemaDb(schema);
    private final List<ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        try {
            processes.forEach(ServerProcess::close);
        } finally {
            db.close();
            TestPostgres.dropSchema(schema);
        }
    }

    private ServerProcess server(String id) {
        // no worker role: notifications stay QUEUED, so the counts below are the fan-out's alone
        ServerProcess p = ServerProcess.builder(schema, id).roles("api,scheduler")
                .set("herald.audience.page-size", "100").set("herald.audience.lease", "3s").set("herald.audience.poll-interval", "200ms")
                .set("herald.policy.rate-limits-enabled", "false").start();
        processes.add(p);
        return p;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aFanOutKilledMidWayResumesWithoutSkippingOrRepeatingAnyone() {
        ServerProcess first = server("bcast-1").awaitReady(READY);

        long importStart = System.nanoTime();
        for (int from = 0; from < USERS; from += 1000) {
            StringBuilder b = new StringBuilder("{\"users\":[");
            for (int i = from; i < from + 1000; i++) {
                if (i > from) b.append(',');
                b.append("{\"userId\":\"u%05d\",\"email\":\"u%d@example.com\",\"topics\":[\"news\"]}".formatted(i, i));
            }
            HttpResponse<String> r = first.post("/v1/users/batch", b.append("]}").toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        assertThat(db.count("SELECT count(*) FROM topic_subscribers WHERE topic_key = 'news'")).isEqualTo(USERS);

        long fanStart = System.nanoTime();
        HttpResponse<String> accepted = first.post("/v1/notifications",
                """
                        {"eventId":"weekly-news","topic":"news","channels":["EMAIL"],"category":"social","content":{"subject":"News","text":"Hi"}}""");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        SchemaDb.await("part of the fan-out committed", Duration.ofSeconds(60),
                () -> db.count("SELECT count(*) FROM notifications") >= 2_000);
        assertThat(first.kill9()).isEqualTo(137);
        double firstSeconds = (System.nanoTime() - fanStart) / 1e9;
        db.awaitNoSessions(first.instanceId(), Duration.ofSeconds(20));

        long atKill = db.count("SELECT count(*) FROM notifications");
        String cursor = db.strings("SELECT cursor_user_id FROM broadcasts").getFirst();
        assertThat(atKill).as("killed mid-way").isLessThan(USERS);
        assertThat(db.count("SELECT count(*) FROM notifications WHERE user_id <= ?", cursor))
                .as("exactly the users up to the cursor have theirs").isEqualTo(atKill);
        // a subscriber still ahead of the cursor leaves the topic while nothing runs
        assertThat(db.count("WITH d AS (DELETE FROM topic_subscribers WHERE user_id = 'u19999' RETURNING 1) SELECT count(*) FROM d"))
                .isEqualTo(1);

        long resume = System.nanoTime();
        ServerProcess second = server("bcast-2").awaitReady(READY);
        SchemaDb.await("the broadcast completed", Duration.ofSeconds(90),
                () -> db.strings("SELECT status FROM broadcasts").getFirst().equals("COMPLETED"));
        double resumeSeconds = (System.nanoTime() - resume) / 1e9;

        assertThat(db.count("SELECT count(*) FROM notifications")).isEqualTo(USERS - 1);
        assertThat(db.count("SELECT count(DISTINCT user_id) FROM notifications")).isEqualTo(USERS - 1);
        assertThat(db.count("SELECT count(*) FROM notifications WHERE user_id = 'u19999'")).isZero();
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isEqualTo(USERS - 1);
        assertThat(db.count("SELECT count(*) FROM notifications WHERE event_id = 'weekly-news' AND broadcast_id IS NOT NULL"))
                .isEqualTo(USERS - 1);
        assertThat(db.count("SELECT recipients FROM broadcasts")).isEqualTo(USERS - 1);

        HttpResponse<String> view = second.get("/v1/broadcasts/" + Payloads.JSON.readTree(accepted.body()).get("broadcastId").asString());
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(Payloads.JSON.readTree(view.body()).get("queued").asLong()).isEqualTo(USERS - 1);
        System.out.printf("broadcast crash: imported %d users in %.1f s (%.0f/s); %d notifications before SIGKILL in %.1f s (%.0f/s);"
                + " the rest after restart in %.1f s including start-up and the %s lease%n", USERS, importSeconds, USERS / importSeconds,
                atKill, firstSeconds, atKill / firstSeconds, resumeSeconds, "3 s");
    }
}
