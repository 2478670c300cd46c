package io.herald.server.process;

import io.herald.postgres.embedded.PostmasterPidFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zero-setup default (embedded PostgreSQL in the data directory) under kill -9 of the server, with real
 * processes. First the server JVM alone is killed mid-burst: its watchdog must stop the orphaned postmaster within
 * bounded time, and a restart on the same data directory must finish every accepted (202) notification. Then the
 * server JVM and its watchdog are killed together (kill -9 of the process group; the postmaster lives in a session
 * of its own and survives): the next start must stop that orphan and start cleanly on the same directory.
 */
@Tag("process")
class EmbeddedCrashTest {

    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration ORPHAN_BOUND = Duration.ofSeconds(15);
    private static final int SENDERS = 6;
    private static final int ACCEPTED_BEFORE_KILL = 150;

    @TempDir
    Path dataDir;

    private final List<ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(ServerProcess::close);
        // a failed test must not leave a postmaster behind: the watchdog of the last server does that within seconds
        for (String p : ProcessTree.leftovers(dataDir)) {
            ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' ')))).ifPresent(h -> ProcessTree.awaitGone(h.pid(), ORPHAN_BOUND));
        }
    }

    private ServerProcess server(String id) {
        // slow sends, few in flight: a backlog is still QUEUED or SENDING when the server dies
        ServerProcess p = ServerProcess.builder(null, id).embedded(dataDir)
                .sandboxLatency(Duration.ofMillis(100)).concurrency(2).lease(Duration.ofSeconds(3))
                .set("herald.db.pool-size", "12").start();
        processes.add(p);
        return p;
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void killedServerLeavesNoPostgresBehindAndARestartLosesNothing() throws Exception {
        ServerProcess first = server("embedded-crash-1").awaitReady(READY);
        PostmasterPidFile pm1 = ProcessTree.postmaster(dataDir);
        long watchdog1 = ProcessTree.watchdogOf(first.pid());

        // a burst of single sends from several clients; SIGKILL the server while it is in full swing
        List<UUID> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(ACCEPTED_BEFORE_KILL);
        AtomicInteger seq = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        for (int s = 0; s < SENDERS; s++) {
            senders.submit(() -> {
                while (!stop.get()) {
                    int i = seq.getAndIncrement();
                    try {
                        HttpResponse<String> r = first.post("/v1/notifications", Payloads.item("burst", i, 2));
                        if (r.statusCode() == 202) {
                            accepted.addAll(Payloads.notificationIds(Payloads.JSON.readTree(r.body())));
                            enough.countDown();
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (UncheckedIOException e) {
                        return; // the server is gone: what it answered 202 is what counts
                    }
                }
            });
        }
        assertThat(enough.await(120, TimeUnit.SECONDS)).as("accepted %d before the kill", accepted.size()).isTrue();
        int exit = first.kill9();
        long killedAt = System.nanoTime();
        stop.set(true);
        senders.shutdown();
        assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(exit).as("SIGKILL").isEqualTo(137);

        assertThat(ProcessTree.awaitGone(pm1.pid(), ORPHAN_BOUND)).as("orphaned postmaster %d stopped by the watchdog", pm1.pid()).isTrue();
        Duration orphanStopped = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(ProcessTree.awaitGone(watchdog1, ORPHAN_BOUND)).as("watchdog exits once done").isTrue();
        assertThat(ProcessTree.leftovers(dataDir)).as("nothing of the dead server runs").isEmpty();

        long restartAt = System.nanoTime();
        ServerProcess second = server("embedded-crash-2").awaitReady(READY);
        Duration restart = Duration.ofNanos(System.nanoTime() - restartAt);
        Map<String, Long> settled = awaitAllSent(accepted);
        Duration recovery = Duration.ofNanos(System.nanoTime() - restartAt);

        // now the process group: server and watchdog at once; the postmaster survives in its own session
        PostmasterPidFile pm2 = ProcessTree.postmaster(dataDir);
        long watchdog2 = ProcessTree.watchdogOf(second.pid());
        ProcessHandle.of(watchdog2).ifPresent(ProcessHandle::destroyForcibly);
        second.kill9();
        assertThat(ProcessTree.awaitGone(watchdog2, ORPHAN_BOUND)).isTrue();
        assertThat(ProcessTree.running(pm2.pid())).as("the postmaster outlives its server and watchdog").isTrue();

        long thirdAt = System.nanoTime();
        ServerProcess third = server("embedded-crash-3").awaitReady(READY);
        Duration restartWithOrphan = Duration.ofNanos(System.nanoTime() - thirdAt);
        assertThat(ProcessTree.running(pm2.pid())).as("the next start stopped the orphan").isFalse();
        assertThat(third.logTail(400)).contains("still runs in").contains("stopping it");
        assertThat(awaitAllSent(accepted)).isEqualTo(settled);
        HttpResponse<String> one = third.get("/v1/notifications/" + accepted.getLast());
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(one.body()).contains("\"status\":\"SENT\"");

        System.out.printf(
                "EmbeddedCrashTest: accepted %d (refused %d); orphaned postmaster stopped %d ms after kill -9; restart to ready %d ms;"
                        + " all accepted SENT %d ms after restart; restart stopping an orphan itself %d ms%n",
                accepted.size(), refused.get(), orphanStopped.toMillis(), restart.toMillis(), recovery.toMillis(),
                restartWithOrphan.toMillis());
    }

    /** Waits until every accepted notification is SENT, straight from the embedded database; returns the counts. */
    private Map<String, Long> awaitAllSent(List<UUID> accepted) {
        Map<String, Long> counts = new TreeMap<>();
        SchemaDb.await("every accepted notification SENT", Duration.ofSeconds(120), () -> {
            counts.clear();
            counts.putAll(statuses(accepted));
            return counts.equals(Map.of("SENT", (long) accepted.size()));
        }, () -> "statuses " + counts + " of " + accepted.size() + " accepted");
        return Map.copyOf(counts);
    }

    private Map<String, Long> statuses(List<UUID> ids) {
        int port = ProcessTree.postmaster(dataDir).port();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
                PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM notifications WHERE id = ANY(?) GROUP BY status")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            Map<String, Long> m = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) m.put(rs.getString(1), rs.getLong(2));
            }
            return m;
        } catch (SQLException e) {
            return Map.of("unreadable: " + e.getMessage(), 0L);
        }
    }
}
