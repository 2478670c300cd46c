package io.herald.server.process;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An API process and a worker process apart: the worker polls only every 30 s here, so a notification sent
 * within a few seconds proves it was woken by the API's commit (LISTEN/NOTIFY), not found by its poll.
 */
@Tag("process")
class CrossProcessWakeupTest {

    private final String schema = TestPostgres.newSchema("wakeup");
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

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aWorkerInAnotherProcessSendsAtOnce() {
        ServerProcess api = ServerProcess.builder(schema, "wake-api").roles("api").start();
        processes.add(api);
        ServerProcess worker = ServerProcess.builder(schema, "wake-worker").roles("worker")
                .set("herald.dispatch.defaults.poll-interval", "30s").start();
        processes.add(worker);
        api.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));
        sleep(1000); // the worker's lanes polled at start: let them fall asleep on their 30 s poll

        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            var r = api.post("/v1/notifications", Payloads.item("wake-" + round, 0, 1));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            long expected = round + 1;
            SchemaDb.await("notification SENT", Duration.ofSeconds(10),
                    () -> db.count("SELECT count(*) FROM notifications WHERE status = 'SENT'") == expected,
                    () -> String.valueOf(db.statusCounts()));
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertThat(ms).as("round " + round + ": sent long before the 30 s poll").isLessThan(10_000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
