package io.herald.server.process;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.nio.file.Path;
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
 * "Nothing accepted is lost, whatever crashes" on the Kafka engine, with real processes and SIGKILL: a broker
 * process, an API process (no broker needed), a scheduler process and a worker process (both run the relay).
 * The worker is slowed down (sandbox latency 200 ms, 4 sends per lane) so the backlog takes several seconds.
 * Mid-way the worker and the scheduler (relays) are killed; then the API right after a 202; then, with a new API
 * process and a new worker running, the broker itself is killed and restarted. Every accepted notification ends
 * SENT exactly once in its history, and the only ones sent twice are those the dead worker held, each marked
 * "reclaimed".
 */
@Tag("process")
class KafkaCrashRecoveryTest {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final int FIRST_BATCH = 400;
    private static final int SECOND_BATCH = 100;

    private final String schema = TestPostgres.newSchema("kafkacrash");
    private final SchemaDb db = new SchemaDb(schema);
    private final List<ServerProcess> processes = new ArrayList<>();
    private final KafkaBrokerProcess broker = new KafkaBrokerProcess(
            Path.of(System.getProperty("user.dir"), "target", "kafka-broker-" + schema));

    @AfterEach
    void cleanUp() {
        try {
            processes.forEach(ServerProcess::close);
            broker.close();
        } finally {
            db.close();
            TestPostgres.dropSchema(schema);
        }
    }

    private ServerProcess start(String id, String roles) {
        ServerProcess p = ServerProcess.builder(schema, id).roles(roles)
                .set("herald.queue.engine", "kafka")
                .set("herald.kafka.bootstrap-servers", broker.bootstrapServers())
                .set("herald.kafka.partitions", "2")
                .set("herald.kafka.session-timeout", "6s")
                .set("herald.kafka.publish-timeout", "3s")
                .sandboxLatency(Duration.ofMillis(200)).concurrency(4).lease(Duration.ofSeconds(5)).start();
        processes.add(p);
        return p;
    }

    private static final String TERMINAL = "('SENT', 'DELIVERED', 'FAILED', 'SUPPRESSED', 'CANCELLED', 'EXPIRED')";

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void killedWorkerRelayApiAndBrokerLoseNothing() {
        long t0 = System.nanoTime();
        broker.start();
        ServerProcess api1 = start("kafka-api-1", "api").awaitReady(READY); // runs the migrations first
        ServerProcess relay1 = start("kafka-scheduler-1", "scheduler");
        ServerProcess worker1 = start("kafka-worker-1", "worker");
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> relay1.awaitReady(READY)),
                CompletableFuture.runAsync(() -> worker1.awaitReady(READY))).join();

        List<UUID> accepted = new ArrayList<>(Payloads.acceptedIds(
                api1.post("/v1/notifications/batch", Payloads.batch("kcrash", 0, FIRST_BATCH, 2)), FIRST_BATCH));
        assertThat(accepted).hasSize(FIRST_BATCH).doesNotHaveDuplicates();

        SchemaDb.await("some notifications SENT", Duration.ofSeconds(60),
                () -> db.count("SELECT count(*) FROM notifications WHERE status = 'SENT'") >= 40, () -> "statuses " + db.statusCounts());
        assertThat(worker1.kill9()).isEqualTo(137);
        assertThat(relay1.kill9()).isEqualTo(137);
        db.awaitNoSessions(worker1.instanceId(), Duration.ofSeconds(20));
        db.awaitNoSessions(relay1.instanceId(), Duration.ofSeconds(20));

        Map<String, Long> atKill = db.statusCounts();
        Set<UUID> stuck = db.ids("SELECT id FROM notifications WHERE status = 'SENDING'");
        assertThat(stuck).as("claimed by the dead worker; statuses %s", atKill).isNotEmpty();
        assertThat(atKill.getOrDefault("QUEUED", 0L)).as("still waiting when the worker died: %s", atKill).isPositive();
        long published = db.count("SELECT count(*) FROM queue_entries WHERE published_until IS NOT NULL");

        // more work while no worker and no relay runs; SIGKILL the API right after its 202
        accepted.addAll(Payloads.acceptedIds(api1.post("/v1/notifications/batch",
                Payloads.batch("kcrash", FIRST_BATCH, FIRST_BATCH + SECOND_BATCH, 2)), SECOND_BATCH));
        HttpResponse<String> single = api1.post("/v1/notifications", Payloads.item("kcrash-last", 9999, 1));
        assertThat(api1.kill9()).isEqualTo(137);
        assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
        List<UUID> lastIds = Payloads.notificationIds(Payloads.JSON.readTree(single.body()));
        accepted.addAll(lastIds);
        int total = accepted.size();
        db.awaitNoSessions(api1.instanceId(), Duration.ofSeconds(20));
        assertThat(db.count("SELECT count(*) FROM notifications WHERE id = ANY(?)", (Object) accepted.toArray(UUID[]::new)))
                .isEqualTo(total);

        // a new API process and a new worker (which relays too) take over
        long restart = System.nanoTime();
        ServerProcess api2 = start("kafka-api-2", "api");
        ServerProcess worker2 = start("kafka-worker-2", "worker,scheduler");
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> api2.awaitReady(READY)),
                CompletableFuture.runAsync(() -> worker2.awaitReady(READY))).join();

        // mid-way, the broker dies and comes back on the same port and data
        long sentBefore = db.count("SELECT count(*) FROM notifications WHERE status = 'SENT'");
        SchemaDb.await("the new worker sending", Duration.ofSeconds(60),
                () -> db.count("SELECT count(*) FROM notifications WHERE status = 'SENT'") >= sentBefore + 40,
                () -> "statuses " + db.statusCounts());
        broker.kill9();
        Map<String, Long> atBrokerKill = db.statusCounts();
        broker.start();

        SchemaDb.await("every accepted notification terminal", Duration.ofSeconds(120),
                () -> db.count("SELECT count(*) FROM notifications WHERE status NOT IN " + TERMINAL) == 0,
                () -> "statuses " + db.statusCounts());
        Duration recovery = Duration.ofNanos(System.nanoTime() - restart);

        Set<UUID> sentTwice = RecoveryChecks.assertAllSentOnceAndOnlyTheDeadWorkersWorkTwice(db, total, stuck, worker1.instanceId());

        System.out.printf("KafkaCrashRecoveryTest: accepted %d; at worker+relay kill %s (published, unclaimed %d); stuck SENDING %d;"
                + " sent twice %d; at broker kill %s; recovery after restart %d ms; total %d ms%n",
                total, atKill, published, stuck.size(), sentTwice.size(), atBrokerKill, recovery.toMillis(),
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }
}
