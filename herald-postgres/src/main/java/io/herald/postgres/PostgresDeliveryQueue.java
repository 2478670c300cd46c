package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.name;
import static io.herald.postgres.Sql.ts;

/**
 * The channel queues in PostgreSQL. A claim is one statement: it picks due entries with
 * {@code FOR UPDATE SKIP LOCKED} (concurrent workers never wait for or get each other's rows), moves them
 * out of the due range until the lease ends, marks the notifications SENDING and writes their history
 * events. Times come from the caller's clock, never from the database's now(), so tests control them.
 */
public final class PostgresDeliveryQueue implements DeliveryQueue {

    private static final String CLAIM = """
            WITH due AS (
                SELECT notification_id, lease_owner AS prev_owner FROM queue_entries
                WHERE channel = ? AND priority = ? AND available_at <= ?
                ORDER BY available_at LIMIT ? FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE queue_entries q SET available_at = ?, lease_owner = ?
                FROM due WHERE q.notification_id = due.notification_id
                RETURNING q.notification_id, due.prev_owner),
            upd AS (
                UPDATE notifications n SET status = 'SENDING', attempts = n.attempts + 1, updated_at = ?
                FROM leased WHERE n.id = leased.notification_id
                RETURNING n.id, n.app_id, n.event_id, n.user_id, n.channel, n.priority, n.target::text AS target,
                          n.content::text AS content, n.category, n.expires_at, n.attempts, n.created_at, leased.prev_owner),
            ev AS (
                INSERT INTO notification_events (notification_id, status, at, attempt, detail)
                SELECT id, 'SENDING', ?, attempts,
                       CASE WHEN prev_owner IS NOT NULL THEN 'lease of ' || prev_owner || ' expired; reclaimed' END FROM upd)
            SELECT * FROM upd""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresDeliveryQueue(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public List<ClaimedDelivery> claim(Channel channel, Priority priority, int max, Duration lease, String owner, Instant now) {
        return tx.execute(s -> jdbc.query(CLAIM, (rs, i) -> new ClaimedDelivery(
                        rs.getObject("id", UUID.class), rs.getLong("app_id"), rs.getString("event_id"), rs.getString("user_id"),
                        Channel.valueOf(rs.getString("channel")), Priority.valueOf(rs.getString("priority")),
                        JsonCodec.target(rs.getString("target")), JsonCodec.content(rs.getString("content")),
                        rs.getString("category"), instant(rs.getTimestamp("expires_at")), rs.getInt("attempts"),
                        rs.getString("prev_owner") != null, instant(rs.getTimestamp("created_at"))),
                channel.name(), priority.name(), ts(now), max, ts(now.plus(lease)), owner, ts(now), ts(now)));
    }

    @Override
    public void apply(List<Transition> transitions) {
        if (transitions.isEmpty()) return;
        int n = transitions.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n], reasons = new String[n], details = new String[n], providers = new String[n], msgIds = new String[n];
        Integer[] attempts = new Integer[n];
        java.sql.Timestamp[] ats = new java.sql.Timestamp[n], retryAts = new java.sql.Timestamp[n];
        Boolean[] dead = new Boolean[n];
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
        }
        tx.executeWithoutResult(s -> jdbc.execute((Connection con) -> {
            Array aIds = con.createArrayOf("uuid", ids), aStatus = con.createArrayOf("text", statuses),
                    aReason = con.createArrayOf("text", reasons), aDetail = con.createArrayOf("text", details),
                    aProv = con.createArrayOf("text", providers), aMsg = con.createArrayOf("text", msgIds),
                    aAttempt = con.createArrayOf("int4", attempts), aAt = con.createArrayOf("timestamptz", ats),
                    aRetry = con.createArrayOf("timestamptz", retryAts), aDead = con.createArrayOf("bool", dead);
            // only notifications still in flight change: a late duplicate outcome cannot undo a terminal status
            try (PreparedStatement ps = con.prepareStatement("""
                    WITH t AS (SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[],
                                                    ?::timestamptz[], ?::timestamptz[], ?::bool[])
                               AS t(id, status, reason, detail, provider, msg_id, attempt, at, retry_at, dead)),
                    upd AS (
                        UPDATE notifications n SET status = t.status, reason = t.reason, detail = t.detail,
                            provider = COALESCE(t.provider, n.provider), provider_message_id = COALESCE(t.msg_id, n.provider_message_id),
                            attempts = t.attempt, updated_at = t.at,
                            send_at = CASE WHEN t.status = 'SCHEDULED' THEN t.retry_at ELSE n.send_at END,
                            dead_lettered_at = CASE WHEN t.dead THEN t.at ELSE n.dead_lettered_at END
                        FROM t WHERE n.id = t.id AND n.status IN ('SENDING', 'QUEUED', 'SCHEDULED', 'RETRYING')
                        RETURNING n.id),
                    ev AS (
                        INSERT INTO notification_events (notification_id, status, at, attempt, provider, reason, detail)
                        SELECT t.id, t.status, t.at, t.attempt, t.provider, t.reason, t.detail FROM t JOIN upd ON upd.id = t.id),
                    requeue AS (
                        UPDATE queue_entries q SET available_at = t.retry_at, lease_owner = NULL,
                            state = CASE WHEN t.status = 'SCHEDULED' THEN 'SCHEDULED' ELSE 'RETRYING' END
                        FROM t WHERE q.notification_id = t.id AND t.retry_at IS NOT NULL)
                    DELETE FROM queue_entries q USING t WHERE q.notification_id = t.id AND t.retry_at IS NULL""")) {
                ps.setArray(1, aIds);
                ps.setArray(2, aStatus);
                ps.setArray(3, aReason);
                ps.setArray(4, aDetail);
                ps.setArray(5, aProv);
                ps.setArray(6, aMsg);
                ps.setArray(7, aAttempt);
                ps.setArray(8, aAt);
                ps.setArray(9, aRetry);
                ps.setArray(10, aDead);
                ps.executeUpdate();
            }
            return null;
        }));
    }

    @Override
    public int expireOverdue(Instant now, int max) {
        // only entries not leased right now: an entry in flight gets its outcome from its worker
        Integer n = tx.execute(s -> jdbc.queryForObject("""
                WITH gone AS (
                    DELETE FROM queue_entries WHERE notification_id IN (
                        SELECT notification_id FROM queue_entries
                        WHERE expires_at <= ? AND (lease_owner IS NULL OR available_at <= ?)
                        LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING notification_id),
                upd AS (
                    UPDATE notifications n SET status = 'EXPIRED', reason = 'EXPIRED', updated_at = ?,
                        detail = 'expired at ' || to_char(n.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' before it could be sent'
                    FROM gone WHERE n.id = gone.notification_id RETURNING n.id, n.attempts, n.detail),
                ev AS (INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail)
                       SELECT id, 'EXPIRED', ?, attempts, 'EXPIRED', detail FROM upd)
                SELECT count(*) FROM upd""", Integer.class, ts(now), ts(now), max, ts(now), ts(now)));
        return n == null ? 0 : n;
    }

    @Override
    public int promoteDue(Instant now, int max) {
        Integer n = tx.execute(s -> jdbc.queryForObject("""
                WITH due AS (
                    UPDATE queue_entries SET state = 'READY' WHERE notification_id IN (
                        SELECT notification_id FROM queue_entries
                        WHERE state = 'SCHEDULED' AND available_at <= ? AND lease_owner IS NULL
                        LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING notification_id),
                upd AS (
                    UPDATE notifications n SET status = 'QUEUED', detail = NULL, updated_at = ?
                    FROM due WHERE n.id = due.notification_id AND n.status = 'SCHEDULED' RETURNING n.id, n.attempts),
                ev AS (INSERT INTO notification_events (notification_id, status, at, attempt, detail)
                       SELECT id, 'QUEUED', ?, attempts, 'due' FROM upd)
                SELECT count(*) FROM upd""", Integer.class, ts(now), max, ts(now), ts(now)));
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
                        WHERE id = ANY(?) AND dead_lettered_at IS NOT NULL AND status = 'FAILED'
                        RETURNING id, channel, priority, expires_at),
                    q AS (INSERT INTO queue_entries (notification_id, channel, priority, state, available_at, expires_at, enqueued_at)
                          SELECT id, channel, priority, 'READY', ?, expires_at, ? FROM upd),
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
        jdbc.query("SELECT channel, priority, count(*) FROM notifications WHERE dead_lettered_at IS NOT NULL GROUP BY 1, 2",
                rs -> {
                    dead.put(rs.getString(1) + "/" + rs.getString(2), new long[]{rs.getLong(3)});
                });
        java.util.Map<String, Object[]> rows = new java.util.HashMap<>();
        jdbc.query("""
                SELECT channel, priority,
                       count(*) FILTER (WHERE available_at <= ? AND state <> 'RETRYING') AS ready,
                       count(*) FILTER (WHERE available_at > ? AND lease_owner IS NULL AND state = 'SCHEDULED') AS scheduled,
                       count(*) FILTER (WHERE available_at > ? AND lease_owner IS NOT NULL) AS in_flight,
                       count(*) FILTER (WHERE state = 'RETRYING' AND lease_owner IS NULL) AS retrying,
                       min(available_at) FILTER (WHERE available_at <= ?) AS oldest
                FROM queue_entries GROUP BY 1, 2""", rs -> {
            rows.put(rs.getString(1) + "/" + rs.getString(2), new Object[]{rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getTimestamp(7)});
        }, ts(now), ts(now), ts(now), ts(now));
        for (Channel c : Channel.values()) {
            for (Priority p : Priority.values()) {
                Object[] r = rows.get(c + "/" + p);
                long dl = dead.getOrDefault(c + "/" + p, new long[]{0})[0];
                if (r == null) {
                    out.add(new LaneStats(c, p, 0, 0, 0, 0, dl, 0));
                } else {
                    Instant oldest = instant((java.sql.Timestamp) r[4]);
                    double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
                    out.add(new LaneStats(c, p, (long) r[0], (long) r[1], (long) r[2], (long) r[3], dl, age));
                }
            }
        }
        return out;
    }

    /** Cancels a notification still waiting in its queue. @return true when it was cancelled */
    public boolean cancel(long appId, UUID id, Instant now) {
        Boolean done = tx.execute(s -> {
            // deleting the queue entry first locks it against a concurrent claim; a leased entry is in flight
            int removed = jdbc.update("""
                    DELETE FROM queue_entries q USING notifications n
                    WHERE q.notification_id = ? AND n.id = q.notification_id AND n.app_id = ?
                      AND q.lease_owner IS NULL AND n.status IN ('SCHEDULED', 'QUEUED')""", id, appId);
            if (removed == 0) return false;
            jdbc.update("UPDATE notifications SET status = 'CANCELLED', reason = 'CANCELLED', detail = 'cancelled by the app', updated_at = ? WHERE id = ?",
                    ts(now), id);
            jdbc.update("INSERT INTO notification_events (notification_id, status, at, reason, detail) VALUES (?, 'CANCELLED', ?, 'CANCELLED', 'cancelled by the app')",
                    id, ts(now));
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

}
