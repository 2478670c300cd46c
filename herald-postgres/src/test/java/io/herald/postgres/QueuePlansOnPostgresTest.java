package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.WorkQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue table's statistics are nearly always wrong: analysed while the queue was drained, they say "about one row"
 * when a backlog of thousands arrives. Planned from them (generically, as a pooled connection's prepared statement is,
 * with random_page_cost 1.1), a claim or an outcome joined {@code queue_entries} to its CTE by walking the table's whole
 * primary key: 609 ms instead of 3 ms for a claim of 100 behind 30,000 entries, up to 1.3M rows filtered per statement
 * in a benchmark's backlog. The statements now name their entries to the planner as an index condition, so whatever
 * join order it picks, every read of the primary key is bounded by the statement's own entries.
 */
class QueuePlansOnPostgresTest {

    // every read of the primary key (index and bitmap scans; the latter count row versions, at most a few per entry)
    private static final Pattern PKEY_SCAN = Pattern
            .compile("queue_entries_pkey[^(]*\\((?:actual rows=(\\d+) loops=(\\d+)|never executed)");
    private static final int BACKLOG = 5_000;
    private static final int BATCH = 50;

    private PostgresFixture db;
    private final Instant now = Instant.parse("2026-12-03T07:00:00Z");

    @BeforeEach
    void aBacklogTheStatisticsHaveNotSeen() {
        db = new PostgresFixture("queue_plans");
        db.jdbc.execute("ANALYZE queue_entries"); // empty: the planner now expects about one row
        db.jdbc.execute("ALTER TABLE notifications SET (autovacuum_enabled = false)"); // never analysed in these tests
        Timestamp at = Timestamp.from(now);
        db.jdbc.update("""
                WITH n AS (
                    INSERT INTO notifications (id, app_id, event_id, channel, priority, status, created_at, updated_at, queue)
                    SELECT gen_random_uuid(), ?, 'evt-' || g, 'EMAIL', 'NORMAL', 'QUEUED', ?, ?, 'EMAIL' FROM generate_series(1, ?) g
                    RETURNING id)
                INSERT INTO queue_entries (notification_id, queue, priority, state, available_at, enqueued_at)
                SELECT id, 'EMAIL', 'NORMAL', 'READY', ?, ? FROM n""", db.appId, at, at, BACKLOG, at, at);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aClaimReadsOnlyTheEntriesItLeases() throws Exception {
        String plan = explain(PostgresDeliveryQueue.CLAIM, ps -> {
            ps.setString(1, "EMAIL");
            ps.setString(2, "NORMAL");
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setInt(4, BATCH);
            ps.setTimestamp(5, Timestamp.from(now.plusSeconds(60)));
            ps.setString(6, "worker-a");
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(now));
        });
        assertOnlyOwnEntriesRead(plan);
        // the first claim's fold reads each leased notification as it was before the update (V29): by its key too
        assertThat(plan).as(plan).doesNotContain("Seq Scan on notifications")
                .contains("Index Scan using notifications_pkey on notifications o");
    }

    @Test
    void anOutcomeReadsOnlyItsOwnEntries() throws Exception {
        List<UUID> leased = db.queue.claim(new WorkQueue(Channel.EMAIL, null), Priority.NORMAL, BATCH, Duration.ofMinutes(1),
                "worker-a", now).stream().map(ClaimedDelivery::id).toList();
        assertThat(leased).hasSize(BATCH);
        String plan = explain(PostgresDeliveryQueue.OUTCOME, ps -> {
            Connection con = ps.getConnection();
            int n = leased.size();
            Object[][] arrays = {leased.toArray(), new String[n], new String[n], new String[n], new String[n], new String[n],
                    new Integer[n], new Timestamp[n], new Timestamp[n], new Boolean[n], new String[n], new Integer[n], new Boolean[n]};
            for (int i = 0; i < n; i++) {
                arrays[1][i] = "SENT";
                arrays[6][i] = 1;
                arrays[7][i] = Timestamp.from(now);
                arrays[9][i] = false;
                arrays[10][i] = "worker-a";
                arrays[11][i] = 1;
                arrays[12][i] = false;
            }
            String[] types = {"uuid", "text", "text", "text", "text", "text", "int4", "timestamptz", "timestamptz", "bool", "text", "int4",
                    "bool"};
            for (int i = 0; i < arrays.length; i++) ps.setArray(i + 1, con.createArrayOf(types[i], arrays[i]));
        });
        assertOnlyOwnEntriesRead(plan);
    }

    @Test
    void theSweepsOfDueAndOverdueEntriesReadOnlyTheEntriesTheyTake() throws Exception {
        Timestamp at = Timestamp.from(now);
        assertOnlyOwnEntriesRead(explain(PostgresDeliveryQueue.EXPIRE_OVERDUE, ps -> {
            ps.setTimestamp(1, at);
            ps.setTimestamp(2, at);
            ps.setInt(3, BATCH);
            ps.setTimestamp(4, at);
            ps.setTimestamp(5, at);
        }));
        assertOnlyOwnEntriesRead(explain(PostgresDeliveryQueue.PROMOTE_DUE, ps -> {
            ps.setTimestamp(1, at);
            ps.setInt(2, BATCH);
            ps.setTimestamp(3, at);
            ps.setTimestamp(4, at);
        }));
    }

    @Test
    void theDeadLetterGaugeReadsOnlyDeadLettersBeforeTheFirstAnalyze() throws Exception {
        db.jdbc.update("""
                UPDATE notifications SET status = 'FAILED', dead_lettered_at = ?
                WHERE id IN (SELECT id FROM notifications ORDER BY id LIMIT 3)""", Timestamp.from(now));
        // unanalysed, the planner takes most notifications for dead letters and reads the whole table
        assertThat(explain(PostgresDeliveryQueue.DEAD_LETTER_COUNTS, ps -> {
        })).contains("Seq Scan on notifications");
        String plan = explain(PostgresDeliveryQueue.DEAD_LETTER_COUNTS, ps -> {
        }, PostgresDeliveryQueue.DEAD_LETTER_PLANNING);
        assertThat(plan).as(plan).doesNotContain("Seq Scan").contains("notifications_dead_letters");
        assertThat(db.queue.stats(now)).filteredOn(l -> l.queue().equals("EMAIL") && l.priority() == Priority.NORMAL)
                .singleElement().extracting(DeliveryQueue.LaneStats::deadLetter).isEqualTo(3L);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws Exception;
    }

    /** The statement's generic plan as executed, in a transaction rolled back afterwards. */
    private String explain(String sql, Binder binder, String... settings) throws Exception {
        try (Connection con = db.db.dataSource().getConnection()) {
            con.setAutoCommit(false);
            try (var set = con.createStatement()) {
                for (String setting : settings) set.execute(setting);
                // the plan a pooled connection runs: pgjdbc prepares a statement on the server after five executions,
                // and PostgreSQL then plans it once for any parameters
                set.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                // the embedded engine's (and an SSD's usual) setting: a walk of a whole index then costs about as much
                // as one probe per CTE row, and the planner took the walk
                set.execute("SET LOCAL random_page_cost = 1.1");
            }
            try (PreparedStatement ps = con.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)) {
                binder.bind(ps);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) plan.append(rs.getString(1)).append('\n');
                }
                return plan.toString();
            } finally {
                con.rollback();
            }
        }
    }

    /** Each read of queue_entries' primary key in the plan: its row versions read (rows x loops) and its index condition. */
    private static List<PkeyScan> pkeyScans(String plan) {
        List<PkeyScan> scans = new ArrayList<>();
        String[] lines = plan.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PKEY_SCAN.matcher(lines[i]);
            if (!m.find()) continue;
            int rows = m.group(1) == null ? 0 : Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2));
            String cond = i + 1 < lines.length && lines[i + 1].contains("Index Cond:") ? lines[i + 1].trim() : "";
            scans.add(new PkeyScan(rows, cond));
        }
        return scans;
    }

    private record PkeyScan(int rows, String cond) {
    }

    private static void assertOnlyOwnEntriesRead(String plan) {
        assertThat(pkeyScans(plan)).as(plan).isNotEmpty().allSatisfy(scan -> {
            assertThat(scan.cond()).as("named as an index condition").contains("notification_id = ANY");
            assertThat(scan.rows()).as("row versions read").isLessThanOrEqualTo(4 * BATCH);
        });
    }
}
