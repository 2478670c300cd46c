package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Read-only look at the server's database after (and around) a run: which notifications of the run reached SENT
 * and how long that took, how many transactions the database committed, how long the queue is.
 *
 * <p>End-to-end latency is {@code updated_at - created_at} of a SENT notification. Both timestamps are written by
 * the server from its own clock (created_at when the send is planned, before the intake transaction commits;
 * updated_at when the worker records the SENT transition), so no clock skew enters: they are one clock on one
 * machine. The figure covers intake commit, queue wait, claim, the (sandbox) provider call and the SENT write's
 * timestamp, but not the HTTP response to the client.
 */
final class ServerDatabase implements AutoCloseable {

    private final Connection con;

    ServerDatabase(String url, String user, String password) throws SQLException {
        this.con = DriverManager.getConnection(url, user, password);
        this.con.setAutoCommit(true);
    }

    long appId(String appKey) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT id FROM apps WHERE app_key = ?")) {
            ps.setString(1, appKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("no app " + appKey + " in the server's database");
                return rs.getLong(1);
            }
        }
    }

    long queueLength() throws SQLException {
        return single("SELECT count(*) FROM queue_entries WHERE state <> 'SCHEDULED'");
    }

    /**
     * Whether any entry is still queued: the drain's poll. Counting a backlog of 100,000 entries twice a second cost the
     * server's PostgreSQL 94 ms each, inside the CPU the pg-statements windows report; this stops at the first entry.
     * Newest first (entry keys are time-ordered): a draining queue's oldest pages hold only deleted entries.
     */
    boolean queueWaiting() throws SQLException {
        return single("""
                SELECT count(*) FROM (SELECT 1 FROM queue_entries WHERE state <> 'SCHEDULED'
                                      ORDER BY notification_id DESC LIMIT 1) e""") > 0;
    }

    /** Transactions committed in this database so far (pg_stat_database; flushed by backends about once a second). */
    long commits() throws SQLException {
        return single("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
    }

    /** WAL flushes (fsync/fdatasync) of the whole cluster so far: pg_stat_wal up to PostgreSQL 17, pg_stat_io from 18; -1 if neither. */
    long walSyncs() {
        for (String sql : new String[]{"SELECT sum(fsyncs)::bigint FROM pg_stat_io WHERE object = 'wal'",
                "SELECT wal_sync FROM pg_stat_wal"}) {
            try (Statement st = con.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                if (rs.next() && rs.getObject(1) != null) return rs.getLong(1);
            } catch (SQLException e) {
                // try the next view
            }
        }
        return -1;
    }

    String setting(String name) {
        try (Statement st = con.createStatement(); ResultSet rs = st.executeQuery("SHOW " + name)) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    /** The postmaster's pid, from postmaster.pid in the data directory (readable when the bench runs as the same or root user). */
    OptionalLong postmasterPid() {
        try {
            Path pidFile = Path.of(setting("data_directory"), "postmaster.pid");
            return OptionalLong.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Waits until the queue is empty or the timeout passes.
     * @return {queueAtStart, queueAtEnd, seconds waited}
     */
    long[] waitForDrain(Duration timeout) throws SQLException, InterruptedException {
        long t0 = System.nanoTime(), deadline = t0 + timeout.toNanos();
        long first = queueLength();
        boolean waiting = first > 0;
        while (waiting && System.nanoTime() < deadline) {
            Thread.sleep(500);
            waiting = queueWaiting();
        }
        return new long[]{first, waiting ? queueLength() : 0, Math.round((System.nanoTime() - t0) / 1e9)};
    }

    /** Counts by status of the run's notifications whose eventId starts with {@code prefix}. */
    Map<String, Long> statuses(long appId, Instant since, String prefix) throws SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT status, count(*) FROM notifications
                WHERE app_id = ? AND created_at >= ? AND event_id LIKE ? GROUP BY status ORDER BY status""")) {
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(since));
            ps.setString(3, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    /** Waits until none of the run's notifications is still in flight (QUEUED, SENDING, RETRYING) or the timeout passes. */
    Map<String, Long> waitForTerminal(long appId, Instant since, String prefix, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Long> s = statuses(appId, since, prefix);
            boolean busy = s.containsKey("QUEUED") || s.containsKey("SENDING") || s.containsKey("RETRYING");
            if (!busy || System.nanoTime() > deadline) return s;
            Thread.sleep(500);
        }
    }

    /** updated_at - created_at of the run's SENT notifications, in microseconds. */
    Histogram endToEnd(long appId, Instant since, String prefix) throws SQLException {
        Histogram h = new Histogram(Bench.MAX_MICROS, 3);
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT (EXTRACT(EPOCH FROM (updated_at - created_at)) * 1000000)::bigint FROM notifications
                WHERE app_id = ? AND created_at >= ? AND event_id LIKE ? AND status = 'SENT'""")) {
            ps.setFetchSize(10_000);
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(since));
            ps.setString(3, prefix + "%");
            con.setAutoCommit(false); // a fetch size only streams inside a transaction
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) h.recordValue(Math.clamp(rs.getLong(1), 0, Bench.MAX_MICROS));
            } finally {
                con.commit();
                con.setAutoCommit(true);
            }
        }
        return h;
    }

    /**
     * The end-to-end time of the run's SENT notifications in two parts: accepted -> claimed (intake commit, the lane's
     * wake-up, the wait for a claim; the first SENDING event's time) and claimed -> SENT (the claim statement, the
     * attempt and the provider call). Tells a slow queue from a slow send.
     * @return {"toClaim": histogram, "claimToSent": histogram}
     */
    Map<String, Histogram> phases(long appId, Instant since, String prefix) throws SQLException {
        Histogram toClaim = new Histogram(Bench.MAX_MICROS, 3), claimToSent = new Histogram(Bench.MAX_MICROS, 3);
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT (EXTRACT(EPOCH FROM (claimed - n.created_at)) * 1000000)::bigint,
                       (EXTRACT(EPOCH FROM (n.updated_at - claimed)) * 1000000)::bigint
                FROM notifications n %s
                WHERE n.app_id = ? AND n.created_at >= ? AND n.event_id LIKE ? AND n.status = 'SENT'""".formatted(firstClaim()))) {
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(since));
            ps.setString(3, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    toClaim.recordValue(Math.clamp(rs.getLong(1), 0, Bench.MAX_MICROS));
                    claimToSent.recordValue(Math.clamp(rs.getLong(2), 0, Bench.MAX_MICROS));
                }
            }
        }
        return Map.of("toClaim", toClaim, "claimToSent", claimToSent);
    }

    /**
     * The run's slowest SENT notifications (accepted -> SENT) with the server's times of acceptance, first claim and SENT,
     * to lay beside the database's and the JVM's own logs of the same seconds: tells which moment made a tail.
     */
    List<Map<String, Object>> slowest(long appId, Instant since, String prefix, int limit) throws SQLException {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT n.created_at, claimed, n.updated_at FROM notifications n %s
                WHERE n.app_id = ? AND n.created_at >= ? AND n.event_id LIKE ? AND n.status = 'SENT'
                ORDER BY n.updated_at - n.created_at DESC LIMIT ?""".formatted(firstClaim()))) {
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(since));
            ps.setString(3, prefix + "%");
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> r = new java.util.LinkedHashMap<>();
                    r.put("acceptedAt", rs.getTimestamp(1).toInstant().toString());
                    r.put("claimedAt", rs.getTimestamp(2).toInstant().toString());
                    r.put("sentAt", rs.getTimestamp(3).toInstant().toString());
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    /**
     * A join giving each notification its first claim's time as {@code claimed}: the SENDING event of attempt 1, which a
     * notification handed off at intake keeps on its row (V28: created_at), and a first claim too (V29:
     * first_claimed_at); servers from before those have no such columns.
     */
    private String firstClaim() throws SQLException {
        boolean v28 = hasNotificationColumn("handed_off"), v29 = hasNotificationColumn("first_claimed_at");
        String onRow = (v28 ? "CASE WHEN n.handed_off THEN n.created_at END" : "NULL::timestamptz")
                + (v29 ? ", n.first_claimed_at" : "");
        return """
                JOIN LATERAL (SELECT COALESCE(%s, (SELECT e.at FROM notification_events e
                    WHERE e.notification_id = n.id AND e.status = 'SENDING' AND e.attempt = 1 LIMIT 1)) AS claimed) c
                  ON c.claimed IS NOT NULL""".formatted(onRow);
    }

    private boolean hasNotificationColumn(String column) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'notifications' AND column_name = ?""")) {
            ps.setString(1, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    /**
     * The run's SENT notifications by 10 s of acceptance: count, p99 and max of accepted -> SENT, in ms. Shows whether
     * the tail comes from one moment (a checkpoint, a vacuum, a janitor) or from the whole fan-out.
     */
    List<Map<String, Object>> endToEndBy10s(long appId, Instant since, String prefix) throws SQLException {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT floor(EXTRACT(EPOCH FROM (created_at - ?)) / 10)::int AS bucket, count(*),
                       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (updated_at - created_at)) * 1000)),
                       round(max(EXTRACT(EPOCH FROM (updated_at - created_at)) * 1000))
                FROM notifications WHERE app_id = ? AND created_at >= ? AND event_id LIKE ? AND status = 'SENT'
                GROUP BY 1 ORDER BY 1""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setLong(2, appId);
            ps.setTimestamp(3, Timestamp.from(since));
            ps.setString(4, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> r = new java.util.LinkedHashMap<>();
                    r.put("fromSecond", rs.getInt(1) * 10);
                    r.put("count", rs.getLong(2));
                    r.put("p99Ms", rs.getLong(3));
                    r.put("maxMs", rs.getLong(4));
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    /** SENT notifications of the run (eventId prefix) whose SENT write falls in [from, to): what drained in a window. */
    long sentBetween(long appId, Instant since, String prefix, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT count(*) FROM notifications WHERE app_id = ? AND created_at >= ? AND event_id LIKE ?
                AND status = 'SENT' AND updated_at >= ? AND updated_at < ?""")) {
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(since));
            ps.setString(3, prefix + "%");
            ps.setTimestamp(4, Timestamp.from(from));
            ps.setTimestamp(5, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Seconds from the first accepted to the last SENT notification of the run, both server timestamps (one clock). */
    double firstAcceptedToLastSent(long appId, Instant since, String prefix) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("""
                SELECT EXTRACT(EPOCH FROM (max(updated_at) FILTER (WHERE status = 'SENT') - min(created_at)))::float8
                FROM notifications WHERE app_id = ? AND created_at >= ? AND event_id LIKE ?""")) {
            ps.setLong(1, appId);
            ps.setTimestamp(2, Timestamp.from(since));
            ps.setString(3, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    private long single(String sql) throws SQLException {
        try (Statement st = con.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        con.close();
    }
}
