package io.herald.server.process;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Two workers never send the same notification twice in normal operation": one API process and two worker
 * processes on one schema compete for the same queue rows (FOR UPDATE SKIP LOCKED, 60 s leases that never
 * expire here). Every notification must be claimed once and sent once, and both workers must have done part
 * of the work.
 */
@Tag("process")
class TwoWorkersTest {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final int ITEMS = 2000;
    private static final int BATCH = 1000;

    private final String schema = TestPostgres.newSchema("twoworkers");
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

    private ServerProcess start(ServerProcess.Builder b) {
        ServerProcess p = b.start();
        processes.add(p);
        return p;
    }

    private ServerProcess.Builder worker(String id) {
        return ServerProcess.builder(schema, id).roles("worker").sandboxLatency(Duration.ofMillis(20))
                .concurrency(8).lease(Duration.ofSeconds(60));
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void competingWorkersSendEachNotificationOnce() {
        long t0 = System.nanoTime();
        ServerProcess api = start(ServerProcess.builder(schema, "two-api").roles("api,scheduler")).awaitReady(READY);
        ServerProcess w1 = start(worker("two-worker-1"));
        ServerProcess w2 = start(worker("two-worker-2"));
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> w1.awaitReady(READY)),
                CompletableFuture.runAsync(() -> w2.awaitReady(READY))).join();
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);

        // 2000 one-off sends over EMAIL, SMS and PUSH (an Android device), in batches of 1000
        long sendStart = System.nanoTime();
        List<UUID> accepted = new ArrayList<>();
        for (int from = 0; from < ITEMS; from += BATCH) {
            accepted.addAll(Payloads.acceptedIds(api.post("/v1/notifications/batch", Payloads.batch("two", from, from + BATCH, 3)), BATCH));
        }
        assertThat(accepted).hasSize(ITEMS).doesNotHaveDuplicates();

        SchemaDb.await("all notifications SENT", Duration.ofSeconds(90),
                () -> db.count("SELECT count(*) FROM notifications WHERE status = 'SENT'") == ITEMS,
                () -> "statuses " + db.statusCounts());
        Duration drain = Duration.ofNanos(System.nanoTime() - sendStart);

        // the history: one claim and one outcome per notification, no reclaim (leases never ran out)
        assertThat(db.count("SELECT count(*) FROM notifications")).isEqualTo(ITEMS);
        assertThat(db.counts("SELECT channel, count(*) FROM notifications GROUP BY channel"))
                .containsOnlyKeys("EMAIL", "SMS", "PUSH");
        assertThat(db.count("""
                SELECT count(*) FROM notifications n
                WHERE n.attempts <> 1
                   OR (SELECT count(*) FROM notification_history e WHERE e.notification_id = n.id AND e.status = 'SENDING') <> 1
                   OR (SELECT count(*) FROM notification_events e WHERE e.notification_id = n.id AND e.status = 'SENT') <> 1"""))
                .as("notifications not claimed exactly once and sent exactly once").isZero();
        assertThat(db.count("SELECT count(*) FROM notification_events WHERE detail LIKE '%reclaimed%'")).isZero();
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isZero();

        // each process counts what it did: provider calls and stored outcomes. Outcomes are counted just after
        // they are stored, so wait for the counters to catch up with the database, then demand the exact total.
        SchemaDb.await("outcome counters to reach " + ITEMS, Duration.ofSeconds(20),
                () -> sent(w1) + sent(w2) >= ITEMS, () -> "w1 " + sent(w1) + ", w2 " + sent(w2));
        double sent1 = sent(w1), sent2 = sent(w2);
        double calls1 = providerCalls(w1), calls2 = providerCalls(w2);
        assertThat(sent1 + sent2).as("SENT outcomes stored by both workers").isEqualTo(ITEMS);
        assertThat(calls1 + calls2).as("provider calls by both workers: one per notification").isEqualTo(ITEMS);
        assertThat(sent1).as("worker 1 did some of the work").isPositive();
        assertThat(sent2).as("worker 2 did some of the work").isPositive();
        assertThat(sent(api)).as("the API process sends nothing").isZero();

        Map<String, Long> perChannel = db.counts("SELECT channel, count(*) FROM notifications GROUP BY channel");
        System.out.printf("TwoWorkersTest: startup %d ms; %d notifications %s sent in %d ms; worker 1 sent %.0f (%.0f provider calls),"
                + " worker 2 sent %.0f (%.0f provider calls); duplicates 0%n",
                startup.toMillis(), ITEMS, perChannel, drain.toMillis(), sent1, calls1, sent2, calls2);
    }

    private static double sent(ServerProcess p) {
        return ServerProcess.metric(p.prometheus(), "herald_notifications_outcome_total", "status=\"SENT\"");
    }

    private static double providerCalls(ServerProcess p) {
        return ServerProcess.metric(p.prometheus(), "herald_provider_latency_seconds_count", "provider=\"sandbox\"");
    }
}
