package io.herald.kafka;

import io.herald.core.queue.ClaimedDelivery;
import io.herald.postgres.PostgresDeliveryQueue;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * accepted meanwhile must not be mistaken for an early copy (it was, and waited for the republish). Rows are locked in
 * id order and waited for (no SKIP LOCKED): a row locked by the scheduler or a relay for a moment must not be taken for
 * a stale copy and its message dropped. Taking an entry clears its relay mark, so it is published again as soon as it
 * is due again.
 *
 * <p>One round trip, no wait for the disk: the claim is one statement run in autocommit, with {@link #RELAXED} (a
 * claim lost in a database crash only puts its entries back as due, to be claimed and sent again: at-least-once; and an
 * outcome's synchronous commit flushes the claim's earlier WAL with it). Measured on the loaded machine: the claim's
 * COMMIT round trip with its WAL flush took longer than the claim itself (docs/benchmarks.md, "Scale-out").
 */
final class ClaimByIds {

    /** See {@link PostgresDeliveryQueue#RELAXED}; the relay's marks use it too. */
    static final String RELAXED = PostgresDeliveryQueue.RELAXED;

    private static final String CLAIM = """
            WITH due AS (
                SELECT notification_id, lease_owner AS prev_owner FROM queue_entries
                WHERE notification_id = ANY(?) AND (available_at <= ? OR (lease_owner IS NULL AND published_until IS NOT NULL))
                    AND %s
                ORDER BY notification_id FOR UPDATE),
            leased AS (
                UPDATE queue_entries q SET available_at = ?, lease_owner = ?, published_until = NULL,
                    reclaims = q.reclaims + CASE WHEN due.prev_owner IS NOT NULL THEN 1 ELSE 0 END
                FROM due WHERE q.notification_id = due.notification_id AND %s
                RETURNING q.notification_id, due.prev_owner, q.reclaims, q.enqueued_at),
            """.formatted(RELAXED, PostgresDeliveryQueue.entriesOf("due", "notification_id")) + PostgresDeliveryQueue.CLAIM_TAIL;

    private final JdbcTemplate jdbc;

    ClaimByIds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<ClaimedDelivery> claim(Collection<UUID> ids, Duration lease, String owner, Instant now) {
        if (ids.isEmpty()) return List.of();
        List<ClaimedDelivery> out = jdbc.execute((java.sql.Connection con) -> {
            try (PreparedStatement ps = con.prepareStatement(CLAIM)) {
                ps.setArray(1, con.createArrayOf("uuid", ids.toArray()));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now.plus(lease)));
                ps.setString(4, owner);
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setTimestamp(6, Timestamp.from(now));
                ps.setTimestamp(7, Timestamp.from(now));
                List<ClaimedDelivery> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(PostgresDeliveryQueue.claimedRow(rs, owner));
                }
                return rows;
            }
        });
        return out == null ? List.of() : out;
    }
}
