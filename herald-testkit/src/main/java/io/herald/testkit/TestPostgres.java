package io.herald.testkit;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * The machine's real PostgreSQL for tests (never a mock of our own database). Each test class takes a schema of
 * its own, so classes cannot see each other's rows, and drops it afterwards.
 * Override with HERALD_TEST_DB_URL (default jdbc:postgresql://127.0.0.1:5432/test, user postgres, trust auth).
 */
public final class TestPostgres {

    public static final String URL = System.getenv().getOrDefault("HERALD_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("HERALD_TEST_DB_USER", "postgres");

    private TestPostgres() {
    }

    /** A fresh, unused schema name, e.g. t_queuetest_1a2b3c4d. */
    public static String newSchema(String hint) {
        String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return "t_" + clean.substring(0, Math.min(20, clean.length())) + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A JDBC URL whose connections use the schema. */
    public static String urlFor(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void dropSchema(String schema) {
        try (var c = DriverManager.getConnection(URL, USER, null); var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
    }
}
