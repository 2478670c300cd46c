package io.herald.kafka;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.postgres.JsonCodec;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The Kafka engine's claim: the entries named by messages, leased the way the PostgreSQL engine leases them (same
 * columns, same history event, same fencing of outcomes), so both engines share the outcome writer. Only entries
 * that are due and not leased are taken: a message for an entry that is done, leased by a live worker or waiting
 * for a later retry (unmarked: a claim cleared its relay mark) is a stale copy and is skipped. An unleased entry that
 * carries the relay's mark was due when it was published, whatever the caller's {@code now} says: that instant is read
 * before the claim's poll, which may wait up to the poll timeout, and a message published meanwhile for an entry
 * accepted meanwhile must not be mistaken for an early copy (it was, and waited for the republish). Rows are locked in id order and waited for (no SKIP LOCKED): a
 * row locked by the scheduler or a relay for a moment must not be taken for a stale copy and its message dropped.
 * Taking an entry clears its relay mark, so it is published again as soon as it is due again.
 */
final class ClaimByIds {

    private static final String CLAIM = """
            WITH due AS (
                SELECT notification_id, lease_owner AS prev_owner FROM queue_entries
                WHERE notification_id = ANY(?) AND (available_at <= ? OR (lease_owner IS NULL AND published_until IS NOT NULL))
                ORDER BY notification_id FOR UPDATE),
            leased AS (
                UPDATE queue_entries q SET available_at = ?, lease_owner = ?, published_until = NULL,
                    reclaims = q.reclaims + CASE WHEN due.prev_owner IS NOT NULL THEN 1 ELSE 0 END
                FROM due WHERE q.notification_id = due.notification_id
                RETURNING q.notification_id, due.prev_owner, q.reclaims, q.enqueued_at),
            upd AS (
                UPDATE notifications n SET status = 'SENDING', attempts = n.attempts + 1, updated_at = ?
                FROM leased WHERE n.id = leased.notification_id
                RETURNING n.id, n.app_id, n.event_id, n.user_id, n.channel, n.priority, n.target::text AS target,
                          n.content::text AS content, n.category, n.expires_at, n.attempts, n.created_at, leased.prev_owner,
                          leased.reclaims, GREATEST(leased.enqueued_at, COALESCE(n.send_at, n.created_at)) AS due_since),
            ev AS (
                INSERT INTO notification_events (notification_id, status, at, attempt, detail)
                SELECT id, 'SENDING', ?, attempts,
                       CASE WHEN prev_owner IS NOT NULL THEN 'lease of ' || prev_owner || ' expired; reclaimed' END FROM upd)
            SELECT * FROM upd""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    ClaimByIds(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    List<ClaimedDelivery> claim(Collection<UUID> ids, Duration lease, String owner, Instant now) {
        if (ids.isEmpty()) return List.of();
        List<ClaimedDelivery> out = tx.execute(s -> jdbc.execute((java.sql.Connection con) -> {
            try (PreparedStatement ps = con.prepareStatement(CLAIM)) {
                ps.setArray(1, con.createArrayOf("uuid", ids.toArray()));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now.plus(lease)));
                ps.setString(4, owner);
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setTimestamp(6, Timestamp.from(now));
                List<ClaimedDelivery> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(row(rs, owner));
                }
                return rows;
            }
        }));
        return out == null ? List.of() : out;
    }

    private static ClaimedDelivery row(ResultSet rs, String owner) throws SQLException {
        return new ClaimedDelivery(rs.getObject("id", UUID.class), rs.getLong("app_id"), rs.getString("event_id"), rs.getString("user_id"),
                Channel.valueOf(rs.getString("channel")), Priority.valueOf(rs.getString("priority")),
                JsonCodec.target(rs.getString("target")), JsonCodec.content(rs.getString("content")),
                rs.getString("category"), instant(rs.getTimestamp("expires_at")), rs.getInt("attempts"),
                rs.getString("prev_owner") != null, instant(rs.getTimestamp("created_at")), owner,
                rs.getInt("reclaims"), instant(rs.getTimestamp("due_since")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
