package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.name;
import static io.herald.postgres.Sql.ts;

/**
 * The work queues in PostgreSQL. A claim is one statement: it picks due entries with
 * {@code FOR UPDATE SKIP LOCKED} (concurrent workers never wait for or get each other's rows), moves them
 * out of the due range until the lease ends, marks the notifications SENDING and writes their history
 * events. Times come from the caller's clock, never from the database's now(), so tests control them.
 */
public final class PostgresDeliveryQueue implements DeliveryQueue, io.herald.core.queue.Cancellation {

    /**
     * The part of a claim after its entries were leased ({@code leased}: notification_id, prev_owner, reclaims,
     * enqueued_at): notifications to SENDING, their SENDING events, the rows {@link #claimedRow} reads. Shared with the
     * Kafka engine's claim by ids, so both engines lease alike. Parameters: the claim's time three times.
     * <p>
     * The first claim of a notification (attempt 0 -> 1, no earlier claim or hand-off on its row) keeps its SENDING
     * event on the row (V29: {@code first_claimed_at}, and {@code first_claim_seq} from the events' sequence for its
     * place in the history); {@code fold} is read from the row as it was before this statement, since a dead letter
     * requeued by an operator starts again at attempt 0 with its first claim already on the row.
     */
    public static final String CLAIM_TAIL = """
            upd AS (
                UPDATE notifications n SET status = 'SENDING', attempts = n.attempts + 1, updated_at = ?,
                    first_claimed_at = CASE WHEN src.fold THEN ?::timestamptz ELSE n.first_claimed_at END,
                    first_claim_seq = CASE WHEN src.fold THEN nextval('notification_events_id_seq') ELSE n.first_claim_seq END
                FROM (SELECT l.*, (o.attempts = 0 AND o.first_claim_seq IS NULL AND o.handed_off IS NULL
                                   AND l.prev_owner IS NULL) AS fold
                      FROM leased l JOIN notifications o ON o.id = l.notification_id) src
                WHERE n.id = src.notification_id
                RETURNING n.id, n.app_id, n.event_id, n.user_id, n.channel, n.priority, n.target::text AS target,
                          n.content::text AS content, n.category, n.expires_at, n.attempts, n.created_at, src.prev_owner,
                          src.reclaims, GREATEST(src.enqueued_at, COALESCE(n.send_at, n.created_at)) AS due_since, src.fold),
            ev AS (
                INSERT INTO notification_events (notification_id, status, at, attempt, detail)
                SELECT id, 'SENDING', ?, attempts,
                       CASE WHEN prev_owner IS NOT NULL THEN 'lease of ' || prev_owner || ' expired; reclaimed' END
                FROM upd WHERE NOT fold)
            SELECT * FROM upd""";

    /**
     * A condition that turns off waiting for the WAL flush for this statement's (autocommit) transaction only:
     * {@code set_config(.., true)} lasts until the transaction ends. For writes whose loss in a database crash only
     * repeats work (claims, relay marks), never for outcomes or intake: a claim lost in a crash only puts its entries
     * back as due, to be claimed and sent again (at-least-once, as after a worker's crash), and the outcome's synchronous
     * commit flushes the claim's earlier WAL with it.
     */
    public static final String RELAXED = "(SELECT set_config('synchronous_commit', 'off', true)) = 'off'";

    /**
     * The queue entries a statement touches, named to the planner as an index condition: joined only with a CTE, whose
     * size it cannot know, the join to {@code queue_entries} was planned from the table's statistics, which say "one
     * row" when it was analysed empty; a backlog then made every claim and outcome walk the whole primary key (a
     * nested loop with the CTE inside: up to 1.3M rows filtered per statement, docs/benchmarks.md, 2026-12-03).
     */
    public static String entriesOf(String cte, String idColumn) {
        return "q.notification_id = ANY(ARRAY(SELECT " + idColumn + " FROM " + cte + "))";
    }

    private static final String ENTRIES_OF_DUE = entriesOf("due", "notification_id");

    /**
     * One statement in autocommit, {@link #RELAXED}: a HIGH claim behind a broadcast's fan-out waited for the fan-out's
     * WAL to reach the disk before its delivery could start (LWLock:WALWrite on its COMMIT; docs/benchmarks.md).
     */
    static final String CLAIM = """
            WITH due AS (
                SELECT notification_id, lease_owner AS prev_owner FROM queue_entries
                WHERE queue = ? AND priority = ? AND available_at <= ? AND %s
                ORDER BY available_at LIMIT ? FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE queue_entries q SET available_at = ?, lease_owner = ?,
                    reclaims = q.reclaims + CASE WHEN due.prev_owner IS NOT NULL THEN 1 ELSE 0 END
                FROM due WHERE q.notification_id = due.notification_id AND %s
                RETURNING q.notification_id, due.prev_owner, q.reclaims, q.enqueued_at),
            """.formatted(RELAXED, ENTRIES_OF_DUE) + CLAIM_TAIL;

    /**
     * An outcome batch: 13 arrays, one element per transition ({@link #apply}). A SENT whose provider will send receipts
     * also writes the key they find it by ({@code provider_messages}, V30).
     */
    static final String OUTCOME = """
            WITH t AS (SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[],
                                            ?::timestamptz[], ?::timestamptz[], ?::bool[], ?::text[], ?::int4[], ?::bool[])
                       AS t(id, status, reason, detail, provider, msg_id, attempt, at, retry_at, dead, owner, lease_attempt, receipts)),
            held AS (
                SELECT q.notification_id FROM queue_entries q JOIN t ON q.notification_id = t.id AND q.lease_owner = t.owner
                WHERE %2$s
                ORDER BY q.notification_id FOR UPDATE OF q),
            upd AS (
                UPDATE notifications n SET status = t.status, reason = t.reason, detail = t.detail,
                    provider = COALESCE(t.provider, n.provider), provider_message_id = COALESCE(t.msg_id, n.provider_message_id),
                    attempts = t.attempt, updated_at = t.at,
                    send_at = CASE WHEN t.status = 'SCHEDULED' THEN t.retry_at ELSE n.send_at END,
                    dead_lettered_at = CASE WHEN t.dead THEN t.at ELSE n.dead_lettered_at END
                FROM t WHERE n.id = t.id AND n.id IN (SELECT notification_id FROM held) AND n.attempts = t.lease_attempt
                  AND n.status IN ('SENDING', 'QUEUED', 'SCHEDULED', 'RETRYING')
                RETURNING n.id, t.status, t.reason, t.detail, t.provider, t.msg_id, t.receipts, t.attempt, t.at, t.retry_at,
                          t.owner, t.lease_attempt),
            receipts_key AS (
                INSERT INTO provider_messages (provider, message_id, notification_id)
                SELECT provider, msg_id, id FROM upd WHERE receipts AND status = 'SENT' AND provider IS NOT NULL AND msg_id IS NOT NULL
                ON CONFLICT DO NOTHING),
            ev AS (
                INSERT INTO notification_events (notification_id, status, at, attempt, provider, reason, detail)
                SELECT id, status, at, attempt, provider, reason, detail FROM upd),
            requeue AS (
                UPDATE queue_entries q SET available_at = upd.retry_at, lease_owner = NULL,
                    state = CASE WHEN upd.status = 'SCHEDULED' THEN 'SCHEDULED' ELSE 'RETRYING' END
                FROM upd WHERE q.notification_id = upd.id AND upd.retry_at IS NOT NULL AND %1$s),
            gone AS (
                DELETE FROM queue_entries q USING upd WHERE q.notification_id = upd.id AND upd.retry_at IS NULL AND %1$s)
            SELECT id, owner, lease_attempt FROM upd""".formatted(entriesOf("upd", "id"), entriesOf("t", "id"));

    /** Expires up to a batch of overdue entries not in flight: now, now, max, now, now. */
    static final String EXPIRE_OVERDUE = """
            WITH gone AS (
                DELETE FROM queue_entries WHERE notification_id = ANY(ARRAY(
                    SELECT notification_id FROM queue_entries
                    WHERE expires_at <= ? AND (lease_owner IS NULL OR available_at <= ?)
                    LIMIT ? FOR UPDATE SKIP LOCKED))
                RETURNING notification_id),
            upd AS (
                UPDATE notifications n SET status = 'EXPIRED', reason = 'EXPIRED', updated_at = ?,
                    detail = 'expired at ' || to_char(n.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' before it could be sent'
                FROM gone WHERE n.id = gone.notification_id RETURNING n.id, n.attempts, n.detail),
            ev AS (INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail)
                   SELECT id, 'EXPIRED', ?, attempts, 'EXPIRED', detail FROM upd)
            SELECT count(*) FROM upd""";

    /** Makes up to a batch of due scheduled entries ready: now, max, now, now. */
    static final String PROMOTE_DUE = """
            WITH due AS (
                UPDATE queue_entries SET state = 'READY' WHERE notification_id = ANY(ARRAY(
                    SELECT notification_id FROM queue_entries
                    WHERE state = 'SCHEDULED' AND available_at <= ? AND lease_owner IS NULL
                    LIMIT ? FOR UPDATE SKIP LOCKED))
                RETURNING notification_id),
            upd AS (
                UPDATE notifications n SET status = 'QUEUED', detail = NULL, updated_at = ?
                FROM due WHERE n.id = due.notification_id AND n.status = 'SCHEDULED' RETURNING n.id, n.attempts),
            ev AS (INSERT INTO notification_events (notification_id, status, at, attempt, detail)
                   SELECT id, 'QUEUED', ?, attempts, 'due' FROM upd)
            SELECT count(*) FROM upd""";

    /** Dead letters per lane, for the gauges: answered by the partial index {@code notifications_dead_letters} (V6). */
    static final String DEAD_LETTER_COUNTS = "SELECT queue, priority, count(*) FROM notifications WHERE dead_lettered_at IS NOT NULL AND queue IS NOT NULL GROUP BY 1, 2";

    /**
     * Set in the counts' transaction. Until its first ANALYZE, PostgreSQL guesses that nearly every notification is dead
     * lettered and reads the whole table instead of the index (518 ms every 5 s behind 400,000 notifications in a
     * benchmark's first minutes, docs/benchmarks.md). Dead letters are few by construction, so the index is always right.
     */
    static final String DEAD_LETTER_PLANNING = "SET LOCAL enable_seqscan = off";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresDeliveryQueue(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public List<ClaimedDelivery> claim(WorkQueue queue, Priority priority, int max, Duration lease, String owner, Instant now) {
        return jdbc.query(CLAIM, (rs, i) -> claimedRow(rs, owner), queue.name(), priority.name(), ts(now), max, ts(now.plus(lease)),
                owner, ts(now), ts(now), ts(now));
    }

    /** One row of a claim ({@link #CLAIM_TAIL}) as the delivery leased to {@code owner}. */
    public static ClaimedDelivery claimedRow(java.sql.ResultSet rs, String owner) throws java.sql.SQLException {
        return new ClaimedDelivery(rs.getObject("id", UUID.class), rs.getLong("app_id"), rs.getString("event_id"),
                rs.getString("user_id"), Channel.valueOf(rs.getString("channel")), Priority.valueOf(rs.getString("priority")),
                JsonCodec.target(rs.getString("target")), JsonCodec.content(rs.getString("content")), rs.getString("category"),
                instant(rs.getTimestamp("expires_at")), rs.getInt("attempts"), rs.getString("prev_owner") != null,
                instant(rs.getTimestamp("created_at")), owner, rs.getInt("reclaims"), instant(rs.getTimestamp("due_since")));
    }

    @Override
    public List<Transition> apply(List<Transition> transitions) {
        if (transitions.isEmpty()) return List.of();
        int n = transitions.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n], reasons = new String[n], details = new String[n], providers = new String[n],
                msgIds = new String[n], owners = new String[n];
        Integer[] attempts = new Integer[n], leaseAttempts = new Integer[n];
        java.sql.Timestamp[] ats = new java.sql.Timestamp[n], retryAts = new java.sql.Timestamp[n];
        Boolean[] dead = new Boolean[n], receipts = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Transition t = transitions.get(i);
            ids[i] = t.id();
            statuses[i] = t.status().name();
            reasons[i] = name(t.reason());
            details[i] = t.detail();
            providers[i] = t.provider();
            msgIds[i] = t.providerMessageId();
            attempts[i] = t.attempt();
            ats[i] = ts(t.at());
            retryAts[i] = ts(t.retryAt());
            dead[i] = t.deadLetter();
            receipts[i] = t.receiptsFollow();
            owners[i] = t.lease() == null ? null : t.lease().owner();
            leaseAttempts[i] = t.lease() == null ? null : t.lease().attempt();
        }
        Set<String> stored = new HashSet<>();
        // ONE statement in autocommit: atomic without BEGIN and COMMIT round trips (each batch of outcomes paid both)
        jdbc.execute((Connection con) -> {
            // Fencing: an outcome counts only while its lease holds, i.e. the entry is still leased to the same owner
            // and the notification is still at the attempt that claim made (every claim, reclaims included, adds one).
            // A worker whose lease expired and was taken over therefore cannot roll attempts back or clear the new
            // owner's lease. The entry is locked first, in the claim's order (entry, then notification): no deadlocks.
            try (PreparedStatement ps = con.prepareStatement(OUTCOME)) {
                Object[][] arrays = {ids, statuses, reasons, details, providers, msgIds, attempts, ats, retryAts, dead, owners,
                        leaseAttempts, receipts};
                String[] types = {"uuid", "text", "text", "text", "text", "text", "int4", "timestamptz", "timestamptz", "bool", "text",
                        "int4", "bool"};
                for (int i = 0; i < arrays.length; i++) ps.setArray(i + 1, con.createArrayOf(types[i], arrays[i]));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) stored.add(fence(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3)));
                }
            }
            return null;
        });
        List<Transition> fenced = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.lease() == null || !stored.contains(fence(t.id(), t.lease().owner(), t.lease().attempt()))) fenced.add(t);
        }
        return fenced;
    }

    private static String fence(UUID id, String owner, int attempt) {
        return id + "\u0000" + owner + "\u0000" + attempt;
    }

    @Override
    public int expireOverdue(Instant now, int max) {
        // only entries not leased right now: an entry in flight gets its outcome from its worker
        Integer n = tx.execute(s -> jdbc.queryForObject(EXPIRE_OVERDUE,
                Integer.class, ts(now), ts(now), max, ts(now), ts(now)));
        return n == null ? 0 : n;
    }

    @Override
    public int promoteDue(Instant now, int max) {
        Integer n = tx.execute(s -> jdbc.queryForObject(PROMOTE_DUE, Integer.class, ts(now), max, ts(now), ts(now)));
        return n == null ? 0 : n;
    }

    @Override
    public int requeueDeadLetters(List<UUID> ids, Instant now) {
        if (ids.isEmpty()) return 0;
        Integer n = tx.execute(s -> jdbc.execute((Connection con) -> {
            try (PreparedStatement ps = con.prepareStatement("""
                    WITH upd AS (
                        UPDATE notifications SET status = 'QUEUED', reason = NULL, detail = NULL, attempts = 0,
                            dead_lettered_at = NULL, updated_at = ?
                        WHERE id = ANY(?) AND dead_lettered_at IS NOT NULL AND status = 'FAILED' AND queue IS NOT NULL
                        RETURNING id, queue, priority, expires_at),
                    q AS (INSERT INTO queue_entries (notification_id, queue, priority, state, available_at, expires_at, enqueued_at)
                          SELECT id, queue, priority, 'READY', ?, expires_at, ? FROM upd),
                    ev AS (INSERT INTO notification_events (notification_id, status, at, attempt, detail)
                           SELECT id, 'QUEUED', ?, 0, 'requeued from the dead letters by an operator' FROM upd)
                    SELECT count(*) FROM upd""")) {
                ps.setTimestamp(1, ts(now));
                ps.setArray(2, con.createArrayOf("uuid", ids.toArray()));
                ps.setTimestamp(3, ts(now));
                ps.setTimestamp(4, ts(now));
                ps.setTimestamp(5, ts(now));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }));
        return n == null ? 0 : n;
    }

    @Override
    public List<LaneStats> stats(Instant now) {
        List<LaneStats> out = new ArrayList<>();
        java.util.Map<String, long[]> dead = new java.util.HashMap<>();
        tx.executeWithoutResult(s -> {
            jdbc.execute(DEAD_LETTER_PLANNING);
            jdbc.query(DEAD_LETTER_COUNTS, rs -> {
                dead.put(rs.getString(1) + "/" + rs.getString(2), new long[]{rs.getLong(3)});
            });
        });
        java.util.Map<String, Object[]> rows = new java.util.HashMap<>();
        jdbc.query("""
                SELECT queue, priority,
                       count(*) FILTER (WHERE available_at <= ? AND state <> 'RETRYING') AS ready,
                       count(*) FILTER (WHERE available_at > ? AND lease_owner IS NULL AND state = 'SCHEDULED') AS scheduled,
                       count(*) FILTER (WHERE available_at > ? AND lease_owner IS NOT NULL) AS in_flight,
                       count(*) FILTER (WHERE state = 'RETRYING' AND lease_owner IS NULL) AS retrying,
                       min(available_at) FILTER (WHERE available_at <= ?) AS oldest
                FROM queue_entries GROUP BY 1, 2""", rs -> {
            rows.put(rs.getString(1) + "/" + rs.getString(2), new Object[]{rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getTimestamp(7)});
        }, ts(now), ts(now), ts(now), ts(now));
        for (WorkQueue q : WorkQueue.all()) {
            for (Priority p : Priority.values()) {
                Object[] r = rows.get(q.name() + "/" + p);
                long dl = dead.getOrDefault(q.name() + "/" + p, new long[]{0})[0];
                if (r == null) {
                    out.add(new LaneStats(q.name(), q.channel(), q.platform(), p, 0, 0, 0, 0, dl, 0));
                } else {
                    Instant oldest = instant((java.sql.Timestamp) r[4]);
                    double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
                    out.add(new LaneStats(q.name(), q.channel(), q.platform(), p, (long) r[0], (long) r[1], (long) r[2], (long) r[3], dl,
                            age));
                }
            }
        }
        return out;
    }

    /** Cancels a notification still waiting in its queue. @return true when it was cancelled */
    @Override
    public boolean cancel(long appId, UUID id, Instant now) {
        Boolean done = tx.execute(s -> {
            // deleting the queue entry first locks it against a concurrent claim; a leased entry is in flight
            int removed = jdbc.update("""
                    DELETE FROM queue_entries q USING notifications n
                    WHERE q.notification_id = ? AND n.id = q.notification_id AND n.app_id = ?
                      AND q.lease_owner IS NULL AND n.status IN ('SCHEDULED', 'QUEUED')""", id, appId);
            if (removed == 0) return false;
            jdbc.update(
                    "UPDATE notifications SET status = 'CANCELLED', reason = 'CANCELLED', detail = 'cancelled by the app', updated_at = ? WHERE id = ?",
                    ts(now), id);
            jdbc.update(
                    "INSERT INTO notification_events (notification_id, status, at, reason, detail) VALUES (?, 'CANCELLED', ?, 'CANCELLED', 'cancelled by the app')",
                    id, ts(now));
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

}
