package io.herald.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lookups of many keys stay one index probe per key when the statistics were taken while the table was tiny and the
 * plan is the generic one a pooled prepared statement ends up with: the situation in which
 * {@code app_id = ? AND key = ANY(?)} read the app's whole range (docs/benchmarks.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyProbesTest {

    private PostgresFixture db;

    @BeforeAll
    void staleStatistics() {
        db = new PostgresFixture("key_probes");
        db.jdbc.update("INSERT INTO send_requests (app_id, event_id, response, created_at) VALUES (?, 'first', '{}', now())", db.appId);
        db.jdbc.update("INSERT INTO users (app_id, user_id, created_at, updated_at) VALUES (?, 'first', now(), now())", db.appId);
        db.jdbc.execute("ANALYZE send_requests");
        db.jdbc.execute("ANALYZE users");
        db.jdbc.execute("ANALYZE devices");
        db.jdbc.update("""
                INSERT INTO send_requests (app_id, event_id, response, created_at)
                SELECT ?, 'e-' || g, '{"eventId": "padding padding padding padding"}', now() FROM generate_series(1, 5000) g""", db.appId);
        db.jdbc.update("""
                INSERT INTO users (app_id, user_id, created_at, updated_at) SELECT ?, 'u-' || g, now(), now()
                FROM generate_series(1, 5000) g""", db.appId);
        db.jdbc.update("""
                INSERT INTO devices (id, app_id, user_id, platform, address, token, registered_at)
                SELECT gen_random_uuid(), ?, 'u-' || g, 'IOS', 'a-' || g, 't-' || g, now() FROM generate_series(1, 5000) g""", db.appId);
    }

    @AfterAll
    void close() {
        db.close();
    }

    @Test
    void receiptsUsersAndDevicesAreProbedByKey() throws Exception {
        assertProbed(PostgresNotificationStore.RECEIPTS, "ARRAY['e-10', 'e-20', 'missing']", 2);
        assertProbed(PostgresUserStore.USERS_BY_ID, "ARRAY['u-10', 'u-20', 'missing']", 2);
        assertProbed(PostgresUserStore.ACTIVE_DEVICES_BY_USER, "ARRAY['u-10', 'u-20', 'missing']", 2);
    }

    /** The generic plan of {@code sql} reads no row it then throws away, and finds {@code expected} rows. */
    private void assertProbed(String sql, String keys, int expected) throws Exception {
        String numbered = sql.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2");
        try (Connection con = Objects.requireNonNull(db.jdbc.getDataSource()).getConnection(); Statement st = con.createStatement()) {
            st.execute("SET plan_cache_mode = force_generic_plan");
            st.execute("PREPARE probe(bigint, text[]) AS " + numbered);
            List<String> plan = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, TIMING OFF) EXECUTE probe(" + db.appId + ", " + keys + ")")) {
                while (rs.next()) plan.add(rs.getString(1));
            }
            st.execute("DEALLOCATE probe");
            st.execute("RESET plan_cache_mode");
            String text = String.join("\n", plan);
            assertThat(text).as(text).doesNotContain("Rows Removed by Filter").doesNotContain("Seq Scan")
                    .containsPattern("Index Cond: \\(\\(app_id = [^\n]+ AND \\((event_id|user_id) = ");
            assertThat(plan.getFirst()).as(text).contains("actual rows=" + expected);
        }
    }
}
