package io.herald.postgres;

import io.herald.core.audience.DigestStore;
import io.herald.core.intake.SendReceipt;
import io.herald.core.intake.SendRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.sql.Array;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Digest windows on PostgreSQL; appends to one user's key are serialised by a transaction-scoped advisory lock. */
public final class PostgresDigestStore implements DigestStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresDigestStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public Appended append(long appId, SendRequest send, String key, Duration window, Instant now) {
        return tx.execute(s -> {
            int reserved = jdbc.update("""
                    INSERT INTO send_requests (app_id, event_id, response, created_at) VALUES (?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING""",
                    appId, send.eventId(), JsonCodec.receipt(new SendReceipt(send.eventId(), List.of())), ts(now));
            if (reserved == 0) {
                return jdbc.query("""
                        SELECT id, flush_at, cardinality(event_ids) FROM digests WHERE app_id = ? AND ? = ANY(event_ids)""",
                        (rs, i) -> new Appended(rs.getObject(1, UUID.class), instant(rs.getTimestamp(2)), rs.getInt(3), true),
                        appId, send.eventId()).stream().findFirst().orElseGet(() -> new Appended(null, null, 0, true));
            }
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(? || ':' || ? || ':' || ?, 0))", appId, send.userId(), key);
            String data = JsonCodec.MAPPER.writeValueAsString(List.of(send.data()));
            List<Appended> joined = jdbc.query("""
                    UPDATE digests SET events = events || ?::jsonb, event_ids = array_append(event_ids, ?)
                    WHERE app_id = ? AND user_id = ? AND digest_key = ? AND status = 'OPEN' AND flush_at > ?
                    RETURNING id, flush_at, cardinality(event_ids)""",
                    (rs, i) -> new Appended(rs.getObject(1, UUID.class), instant(rs.getTimestamp(2)), rs.getInt(3), false),
                    data, send.eventId(), appId, send.userId(), key, ts(now));
            if (!joined.isEmpty()) return joined.getFirst();
            UUID id = UUID.randomUUID();
            Instant flushAt = now.plus(window);
            jdbc.update("""
                    INSERT INTO digests (id, app_id, user_id, digest_key, request, events, event_ids, status, opened_at, flush_at)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ARRAY[?], 'OPEN', ?, ?)""", id, appId, send.userId(), key,
                    BroadcastJson.send(send), data, send.eventId(), ts(now), ts(flushAt));
            return new Appended(id, flushAt, 1, false);
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<DueDigest> claimDue(Instant now, Duration lease, int limit) {
        return jdbc.query("""
                UPDATE digests SET lease_until = ?
                WHERE id = ANY(ARRAY(SELECT id FROM digests
                                     WHERE status = 'OPEN' AND flush_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                                     ORDER BY flush_at LIMIT ? FOR UPDATE SKIP LOCKED))
                RETURNING id, app_id, user_id, digest_key, request::text, events::text, event_ids, opened_at""", (rs, i) -> {
            SendRequest first = BroadcastJson.send(rs.getString(5)).forUser(rs.getString(3));
            List<Map<String, Object>> events = new ArrayList<>();
            for (JsonNode e : JsonCodec.MAPPER.readTree(rs.getString(6))) events.add(JsonCodec.MAPPER.treeToValue(e, Map.class));
            Array ids = rs.getArray(7);
            return new DueDigest(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4), first, events,
                    List.of((String[]) ids.getArray()), instant(rs.getTimestamp(8)));
        }, ts(now.plus(lease)), ts(now), ts(now), limit);
    }

    @Override
    public void markFlushed(UUID id, String flushEventId, Instant now) {
        jdbc.update("UPDATE digests SET status = 'FLUSHED', flushed_at = ?, flush_event_id = ?, lease_until = NULL WHERE id = ?",
                ts(now), flushEventId, id);
    }
}
