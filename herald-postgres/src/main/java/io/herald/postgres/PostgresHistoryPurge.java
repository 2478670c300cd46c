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
 * notification (ON DELETE CASCADE); a send's receipt goes once none of its notifications is left. Finished broadcasts
 * and flushed digest windows go after their notifications, with the receipts they reserved.
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

    // broadcasts: finished, not a campaign's (the campaign page shows its broadcast), none of their notifications left
    // (a local-time broadcast may still hold scheduled ones). Few rows (one per audience send): no index needed.
    private static final String PURGE_BROADCASTS = """
            WITH doomed AS (
                SELECT b.id, b.app_id, b.event_id FROM broadcasts b
                WHERE b.status IN ('COMPLETED', 'CANCELLED') AND b.finished_at < ? AND b.campaign_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.broadcast_id = b.id)
                ORDER BY b.finished_at LIMIT ? FOR UPDATE SKIP LOCKED),
            gone AS (DELETE FROM broadcasts b USING doomed WHERE b.id = doomed.id RETURNING b.id),
            receipts AS (
                DELETE FROM send_requests s USING doomed WHERE s.app_id = doomed.app_id AND s.event_id = doomed.event_id)
            SELECT count(*) FROM gone""";
    // digest windows: flushed; the merged sends' receipts go with them (the delivery they became has its own eventId)
    private static final String PURGE_DIGESTS = """
            WITH doomed AS (
                SELECT d.id, d.app_id, d.event_ids FROM digests d
                WHERE d.status = 'FLUSHED' AND d.flushed_at < ?
                ORDER BY d.flushed_at LIMIT ? FOR UPDATE SKIP LOCKED),
            gone AS (DELETE FROM digests d USING doomed WHERE d.id = doomed.id RETURNING d.id),
            merged AS (SELECT doomed.app_id, e.event_id FROM doomed CROSS JOIN LATERAL unnest(doomed.event_ids) AS e(event_id)),
            receipts AS (
                DELETE FROM send_requests s USING merged WHERE s.app_id = merged.app_id AND s.event_id = merged.event_id
                  AND NOT EXISTS (SELECT 1 FROM notifications k WHERE k.app_id = s.app_id AND k.event_id = s.event_id))
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

    @Override
    public int purgeFinishedAudienceSendsBefore(Instant cutoff, int max) {
        Integer broadcasts = jdbc.queryForObject(PURGE_BROADCASTS, Integer.class, ts(cutoff), max);
        int left = max - (broadcasts == null ? 0 : broadcasts);
        Integer digests = left <= 0 ? Integer.valueOf(0) : jdbc.queryForObject(PURGE_DIGESTS, Integer.class, ts(cutoff), left);
        return (broadcasts == null ? 0 : broadcasts) + (digests == null ? 0 : digests);
    }

    /** The lowest version-7 UUID of that millisecond: every time-ordered id created before it sorts below it. */
    static UUID firstIdAt(Instant at) {
        long millis = at.toEpochMilli();
        return new UUID((millis << 16) | 0x7000L, 0x8000_0000_0000_0000L);
    }
}
