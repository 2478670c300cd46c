package io.herald.server.process;

import io.herald.testkit.TestPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Plain JDBC on a test schema, straight to PostgreSQL (never through the server under test), plus bounded polling. */
final class SchemaDb {

    private final String schema;

    SchemaDb(String schema) {
        this.schema = schema;
    }

    String schema() {
        return schema;
    }

    private Connection connection;

    /**
     * One connection, kept: the machine's PostgreSQL is shared with other test runs and may be near its
     * max_connections, so this waits (bounded) for a free slot instead of failing on "too many clients".
     */
    private synchronized Connection connection() throws SQLException {
        if (connection != null && !connection.isClosed()) return connection;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                connection = DriverManager.getConnection(TestPostgres.urlFor(schema), TestPostgres.USER, null);
                return connection;
            } catch (SQLException e) {
                if (!"53300".equals(e.getSQLState()) || System.nanoTime() > deadline) throw e;
                ServerProcess.pause(Duration.ofMillis(500));
            }
        }
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private synchronized <T> T query(String sql, Object[] args, Reader<T> reader) {
        for (int attempt = 1;; attempt++) {
            try {
                Connection c = connection();
                try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
                    return reader.read(rs);
                }
            } catch (SQLException e) {
                boolean broken = e.getSQLState() != null && e.getSQLState().startsWith("08");
                if (broken) closeQuietly();
                if (!broken || attempt == 3) throw new IllegalStateException(sql, e);
            }
        }
    }

    synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (connection != null) connection.close();
        } catch (SQLException ignored) {
            // gone already
        }
        connection = null;
    }

    long count(String sql, Object... args) {
        return query(sql, args, rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    Set<UUID> ids(String sql, Object... args) {
        return query(sql, args, rs -> {
            Set<UUID> out = new HashSet<>();
            while (rs.next()) out.add(rs.getObject(1, UUID.class));
            return out;
        });
    }

    /** First column as string to second column as long, e.g. status counts. */
    Map<String, Long> counts(String sql, Object... args) {
        return query(sql, args, rs -> {
            Map<String, Long> out = new HashMap<>();
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            return out;
        });
    }

    List<String> strings(String sql, Object... args) {
        return query(sql, args, rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        });
    }

    Map<String, Long> statusCounts() {
        return counts("SELECT status, count(*) FROM notifications GROUP BY status");
    }

    /** Database sessions a process opened (tagged with its instance id as application name). */
    long sessionsOf(String instanceId) {
        return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", instanceId);
    }

    /**
     * After a SIGKILL the server side of the dead process's connections may still be finishing a statement
     * that arrived before the kill; this waits until PostgreSQL has closed them all, so what we read next is final.
     */
    void awaitNoSessions(String instanceId, Duration max) {
        await("database sessions of " + instanceId + " to end", max, () -> sessionsOf(instanceId) == 0);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof UUID[] arr) ps.setArray(i + 1, c.createArrayOf("uuid", arr));
            else
                ps.setObject(i + 1, a);
        }
        return ps;
    }

    /** Polls until the condition holds; fails after {@code max} with what it was waiting for. */
    static void await(String what, Duration max, BooleanSupplier condition) {
        await(what, max, condition, () -> "");
    }

    static void await(String what, Duration max, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out after " + max + " waiting for " + what + " " + state.get());
            ServerProcess.pause(Duration.ofMillis(100));
        }
    }
}
