package io.herald.server.process;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Nothing accepted is lost, whatever crashes", with real server processes and SIGKILL.
 *
 * <p>An API process (api + scheduler) and a worker process share one schema. The worker is slowed down
 * (sandbox latency 200 ms, 4 sends in flight per lane) so the backlog takes several seconds. Mid-way the worker
 * is killed with SIGKILL: the notifications it had claimed stay SENDING under its lease. Then the API process is
 * killed right after answering 202. A new API process and a new worker (another instance id) take over: every
 * accepted notification ends SENT, and the only ones sent twice are those the dead worker held, each marked
 * "reclaimed" in its history.
 */
@Tag("process")
class CrashRecoveryTest {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final int FIRST_BATCH = 600;
    private static final int SECOND_BATCH = 100;

    private final String schema = TestPostgres.newSchema("crashrecovery");
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

    private ServerProcess api(String id) {
        ServerProcess p = ServerProcess.builder(schema, id).roles("api,scheduler").start();
        processes.add(p);
        return p;
    }

    private ServerProcess worker(String id) {
        ServerProcess p = ServerProcess.builder(schema, id).roles("worker")
                .sandboxLatency(Duration.ofMillis(200)).concurrency(4).lease(Duration.ofSeconds(5)).start();
        processes.add(p);
        return p;
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killedWorkerAndKilledApiLoseNothing() {
        long t0 = System.nanoTime();
        // the API first: it runs the migrations; then the worker, on the migrated schema
        ServerProcess api1 = api("crash-api-1").awaitReady(READY);
        ServerProcess worker1 = worker("crash-worker-1").awaitReady(READY);
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);

        // 600 one-off sends, half EMAIL, half SMS, accepted in one batch
        List<UUID> accepted = new ArrayList<>(Payloads.acceptedIds(
                api1.post("/v1/notifications/batch", Payloads.batch("crash", 0, FIRST_BATCH, 2)), FIRST_BATCH));
        assertThat(accepted).hasSize(FIRST_BATCH).doesNotHaveDuplicates();

        // let the worker get some way, then SIGKILL it while it holds leases
        SchemaDb.await("some notifications SENT", Duration.ofSeconds(60),
                () -> db.count("SELECT count(*) FROM notifications WHERE status = 'SENT'") >= 60, () -> "statuses " + db.statusCounts());
        int exit = worker1.kill9();
        assertThat(exit).as("SIGKILL ends a JVM with 128 + 9").isEqualTo(137);
        db.awaitNoSessions(worker1.instanceId(), Duration.ofSeconds(20));

        Map<String, Long> atKill = db.statusCounts();
        Set<UUID> stuck = db.ids("SELECT id FROM notifications WHERE status = 'SENDING'");
        assertThat(stuck).as("claimed by the dead worker and left under its lease; statuses %s", atKill).isNotEmpty();
        assertThat(atKill.getOrDefault("QUEUED", 0L)).as("still waiting when the worker died: %s", atKill).isPositive();
        assertThat(atKill.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FIRST_BATCH);
        assertThat(db.count("SELECT count(*) FROM queue_entries WHERE notification_id = ANY(?) AND lease_owner = ?",
                stuck.toArray(UUID[]::new), worker1.instanceId()))
                .as("every stuck notification is leased to the dead worker").isEqualTo(stuck.size());

        // more work while no worker runs, the last one a single send: SIGKILL the API right after its 202
        accepted.addAll(Payloads.acceptedIds(api1.post("/v1/notifications/batch",
                Payloads.batch("crash", FIRST_BATCH, FIRST_BATCH + SECOND_BATCH, 2)), SECOND_BATCH));
        HttpResponse<String> single = api1.post("/v1/notifications", Payloads.item("crash-last", 9999, 1));
        int apiExit = api1.kill9();
        assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
        assertThat(apiExit).isEqualTo(137);
        List<UUID> lastIds = Payloads.notificationIds(Payloads.JSON.readTree(single.body()));
        accepted.addAll(lastIds);
        int total = accepted.size();
        assertThat(total).isEqualTo(FIRST_BATCH + SECOND_BATCH + 1);

        // committed before the 202: all there although the process that answered is gone
        db.awaitNoSessions(api1.instanceId(), Duration.ofSeconds(20));
        assertThat(db.count("SELECT count(*) FROM notifications WHERE id = ANY(?)", (Object) accepted.toArray(UUID[]::new)))
                .as("accepted notifications in the database after both processes died").isEqualTo(total);
        assertThat(db.count("SELECT count(*) FROM queue_entries WHERE notification_id = ANY(?)", (Object) lastIds.toArray(UUID[]::new)))
                .as("the last accepted notification has its queue entry").isEqualTo(lastIds.size());

        // a new API process and a new worker (another instance id) start side by side
        long restart = System.nanoTime();
        ServerProcess api2 = api("crash-api-2");
        ServerProcess worker2 = worker("crash-worker-2");
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> api2.awaitReady(READY)),
                CompletableFuture.runAsync(() -> worker2.awaitReady(READY))).join();

        SchemaDb.await("every accepted notification terminal", Duration.ofSeconds(90),
                () -> db.count(
                        "SELECT count(*) FROM notifications WHERE status NOT IN ('SENT', 'DELIVERED', 'FAILED', 'SUPPRESSED', 'CANCELLED', 'EXPIRED')") == 0,
                () -> "statuses " + db.statusCounts());
        Duration recovery = Duration.ofNanos(System.nanoTime() - restart);

        Set<UUID> sentTwice = RecoveryChecks.assertAllSentOnceAndOnlyTheDeadWorkersWorkTwice(db, total, stuck, worker1.instanceId());

        // and the new API process shows all of it: the last accepted send and a reclaimed one
        for (UUID id : List.of(lastIds.getFirst(), stuck.iterator().next())) {
            HttpResponse<String> r = api2.get("/v1/notifications/" + id);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode view = Payloads.JSON.readTree(r.body());
            assertThat(view.get("status").asString()).isEqualTo("SENT");
            if (stuck.contains(id)) assertThat(r.body()).contains("reclaimed");
        }

        System.out.printf("CrashRecoveryTest: startup %d ms; accepted %d; at worker kill %s; stuck SENDING %d; sent twice (history) %d;"
                + " reclaimed %d; recovery after restart %d ms; total %d ms%n",
                startup.toMillis(), total, atKill, stuck.size(), sentTwice.size(), stuck.size(), recovery.toMillis(),
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }
}
