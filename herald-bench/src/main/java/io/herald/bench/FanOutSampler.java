package io.herald.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What PostgreSQL was doing during a fan-out, on a connection of its own: which tables autovacuum workers were busy
 * with and what the other backends waited on (sampled twice a second), and the WAL and checkpoints of the whole
 * window (counters read at the start and the end). 1M-recipient fan-outs of one build spread from 61 to 102 s on this
 * machine (docs/benchmarks.md); these figures let runs be compared with their database's work in view. Beside them the
 * machine's dirty page cache (Linux): data written and not yet on disk, which the kernel flushes at once every 30 s by
 * default, and every commit's fsync then waits behind that flush.
 */
final class FanOutSampler {

    private static final long INTERVAL_MILLIS = 500;
    // counters of the whole instance: WAL written, full-page images among it, checkpoints and the buffers they wrote
    // (PostgreSQL 17 moved the checkpoints from pg_stat_bgwriter to pg_stat_checkpointer; the embedded one is newer)
    private static final String COUNTERS = """
            SELECT w.wal_records, w.wal_fpi, w.wal_bytes, c.num_timed + c.num_requested, c.buffers_written
            FROM pg_stat_wal w, pg_stat_checkpointer c""";
    private static final String COUNTERS_BEFORE_17 = """
            SELECT w.wal_records, w.wal_fpi, w.wal_bytes, b.checkpoints_timed + b.checkpoints_req, b.buffers_checkpoint
            FROM pg_stat_wal w, pg_stat_bgwriter b""";
    private static final String[] COUNTER_NAMES = {"walRecords", "walFullPageImages", "walBytes", "checkpoints",
            "buffersWrittenByCheckpoints"};

    private final Connection con;
    private final String countersQuery;
    private final long[] before;
    private final Thread thread;
    private final Map<String, Integer> autovacuumByTable = new TreeMap<>();
    private final Map<String, Integer> waitsByEvent = new TreeMap<>();
    private int samples;
    private int withAutovacuum;
    private int activeBackends;
    private long dirtyPeakKb = -1;

    /** Starts sampling; {@link #stop} ends it and closes the connection. */
    FanOutSampler(String url, String user, String password) throws SQLException {
        this.con = DriverManager.getConnection(url, user, password);
        try (Statement st = con.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            this.countersQuery = Integer.parseInt(rs.getString(1)) >= 170000 ? COUNTERS : COUNTERS_BEFORE_17;
        }
        long[] start;
        try {
            start = counters();
        } catch (SQLException e) { // a server without these views: the samples without the counters
            System.err.println("herald-bench: no WAL and checkpoint counters: " + e.getMessage());
            start = null;
        }
        this.before = start;
        this.thread = Thread.ofPlatform().daemon().name("bench-fan-out-sampler").start(this::run);
    }

    private long[] counters() throws SQLException {
        try (Statement st = con.createStatement(); ResultSet rs = st.executeQuery(countersQuery)) {
            rs.next();
            long[] c = new long[COUNTER_NAMES.length];
            for (int i = 0; i < c.length; i++) c[i] = rs.getLong(i + 1);
            return c;
        }
    }

    private void run() {
        try (Statement st = con.createStatement()) {
            while (!Thread.currentThread().isInterrupted()) {
                sampleAutovacuum(st);
                sampleWaits(st);
                sampleDirty();
                samples++;
                Thread.sleep(INTERVAL_MILLIS);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (SQLException e) {
            System.err.println("herald-bench: fan-out sampling ended: " + e.getMessage());
        }
    }

    private void sampleAutovacuum(Statement st) throws SQLException {
        // pg_stat_progress_vacuum names the table a worker is on (ANALYZE-only passes appear in pg_stat_progress_analyze)
        try (ResultSet rs = st.executeQuery("""
                SELECT p.relid::regclass::text FROM pg_stat_progress_vacuum p JOIN pg_stat_activity a USING (pid)
                WHERE a.backend_type = 'autovacuum worker'
                UNION ALL
                SELECT p.relid::regclass::text FROM pg_stat_progress_analyze p JOIN pg_stat_activity a USING (pid)
                WHERE a.backend_type = 'autovacuum worker'""")) {
            boolean any = false;
            while (rs.next()) {
                any = true;
                autovacuumByTable.merge(rs.getString(1), 1, Integer::sum);
            }
            if (any) withAutovacuum++;
        }
    }

    /** Client backends running a statement other than this one: on CPU (no wait event) or waiting on what. */
    private void sampleWaits(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("""
                SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()""")) {
            while (rs.next()) {
                activeBackends++;
                waitsByEvent.merge(rs.getString(1), 1, Integer::sum);
            }
        }
    }

    /** The kernel's Dirty figure (kB) from /proc/meminfo, where there is one. */
    private void sampleDirty() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/meminfo"))) {
            lines.filter(l -> l.startsWith("Dirty:")).findFirst()
                    .ifPresent(l -> dirtyPeakKb = Math.max(dirtyPeakKb, Long.parseLong(l.replaceAll("\\D", ""))));
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or unreadable: the figure is left out
        }
    }

    /** Stops sampling; the figures: samples, autovacuum's share and tables, backends' waits, WAL and checkpoints. */
    Map<String, Object> stop() throws InterruptedException {
        thread.interrupt();
        thread.join();
        Map<String, Object> figures = new LinkedHashMap<>();
        // the sampling thread has ended (join): its counts are visible here without locking
        figures.put("intervalMillis", INTERVAL_MILLIS);
        figures.put("samples", samples);
        figures.put("withAutovacuum", withAutovacuum);
        figures.put("autovacuumByTable", Map.copyOf(autovacuumByTable));
        figures.put("activeBackendSamples", activeBackends);
        figures.put("activeBackendsByWait", Map.copyOf(waitsByEvent));
        if (dirtyPeakKb >= 0) figures.put("machineDirtyPeakMb", dirtyPeakKb / 1024);
        if (before != null) try {
            long[] after = counters();
            for (int i = 0; i < after.length; i++) figures.put(COUNTER_NAMES[i], after[i] - before[i]);
        } catch (SQLException e) {
            figures.put("countersUnavailable", e.getMessage());
        }
        try {
            con.close();
        } catch (SQLException e) {
            // the figures are taken; the connection's end does not matter
        }
        return figures;
    }
}
