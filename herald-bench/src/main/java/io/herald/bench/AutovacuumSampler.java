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
 * Which tables autovacuum workers were busy with, sampled twice a second on a connection of its own. On two cores a
 * worker takes its share from whatever is measured: 1M-recipient fan-outs of one build spread from 61 to 102 s, with
 * vacuums of the just-imported users and devices and of the growing notifications running into them
 * (docs/benchmarks.md). The figures let runs be compared with that in view.
 */
final class AutovacuumSampler {

    private static final long INTERVAL_MILLIS = 500;

    private final Connection con;
    private final Thread thread;
    private final Map<String, Integer> samplesByTable = new TreeMap<>();
    private int samples;
    private int withWorker;

    /** Starts sampling; {@link #stop} ends it and closes the connection. */
    AutovacuumSampler(String url, String user, String password) throws SQLException {
        this.con = DriverManager.getConnection(url, user, password);
        this.thread = Thread.ofPlatform().daemon().name("bench-autovacuum").start(this::run);
    }

    private void run() {
        try (Statement st = con.createStatement()) {
            while (!Thread.currentThread().isInterrupted()) {
                sample(st);
                Thread.sleep(INTERVAL_MILLIS);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (SQLException e) {
            System.err.println("herald-bench: autovacuum sampling ended: " + e.getMessage());
        }
    }

    private void sample(Statement st) throws SQLException {
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
                samplesByTable.merge(rs.getString(1), 1, Integer::sum);
            }
            samples++;
            if (any) withWorker++;
        }
    }

    /** Stops sampling; the figures: samples taken, samples with a worker busy, and samples per table. */
    Map<String, Object> stop() throws InterruptedException {
        thread.interrupt();
        thread.join();
        try {
            con.close();
        } catch (SQLException e) {
            // the figures are taken; the connection's end does not matter
        }
        // the sampling thread has ended (join): its counts are visible here without locking
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("intervalMillis", INTERVAL_MILLIS);
        figures.put("samples", samples);
        figures.put("withWorker", withWorker);
        figures.put("byTable", Map.copyOf(samplesByTable));
        return figures;
    }
}
