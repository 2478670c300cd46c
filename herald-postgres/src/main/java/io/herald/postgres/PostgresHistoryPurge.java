package io.herald.postgres;

import io.herald.core.retention.HistoryPurge;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.UUID;

import static io.herald.postgres.Sql.ts;

/**
 * Deletes settled notifications in primary-key order. Notification ids are time-ordered (UUID version 7: 48 bits of
 * Unix milliseconds first), so "created before the cutoff" is a range at the left edge of the primary key: each batch
 * reads the oldest rows and no other index is needed. created_at is checked as well, so an id of another kind (random,
 * from an import or a test) is only deleted when its row is old. History, queue entries and inbox items go with their
 * notification (ON DELETE CASCADE); a send's receipt goes once none of its notifications is left.
 */
public final class PostgresHistoryPurge implements HistoryPurge {

    private static final String PURGE = """
            WITH doomed AS (
                SELECT n.id, n.app_id, n.event_id FROM notifications n
                WHERE n.id < ?::uuid AND n.created_at < ?
                  AND n.status IN ('SENT', 'DELIVERED', 'FAILED', 'SUPPRESSED', 'CANCELLED', 'EXPIRED')
                  AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.notification_id = n.id)
                ORDER BY n.id LIMIT ? FOR UPDATE SKIP LOCKED),
            gone AS (
                DELETE FROM notifications n USING doomed WHERE n.id = doomed.id RETURNING n.id),
            sends AS (SELECT DISTINCT app_id, event_id FROM doomed),
            receipts AS (
                DELETE FROM send_requests s USING sends
                WHERE s.app_id = sends.app_id AND s.event_id = sends.event_id
                  AND NOT EXISTS (SELECT 1 FROM notifications k WHERE k.app_id = s.app_id AND k.event_id = s.event_id
                                  AND k.id NOT IN (SELECT id FROM doomed)))
            SELECT count(*) FROM gone""";

    private final JdbcTemplate jdbc;

    public PostgresHistoryPurge(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int purgeSettledBefore(Instant cutoff, int max) {
        Integer n = jdbc.queryForObject(PURGE, Integer.class, firstIdAt(cutoff), ts(cutoff), max);
        return n == null ? 0 : n;
    }

    /** The lowest version-7 UUID of that millisecond: every time-ordered id created before it sorts below it. */
    static UUID firstIdAt(Instant at) {
        long millis = at.toEpochMilli();
        return new UUID((millis << 16) | 0x7000L, 0x8000_0000_0000_0000L);
    }
}
