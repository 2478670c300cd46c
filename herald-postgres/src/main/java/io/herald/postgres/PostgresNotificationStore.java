package io.herald.postgres;

import io.herald.core.intake.NewNotification;
import io.herald.core.intake.NotificationStore;
import io.herald.core.intake.SendReceipt;
import io.herald.core.model.TargetLookup;
import io.herald.core.queue.WorkQueue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.herald.postgres.Sql.name;
import static io.herald.postgres.Sql.ts;

/**
 * Intake storage. A whole batch of sends is one transaction: the receipts are inserted first with
 * ON CONFLICT DO NOTHING, so a repeated eventId (even one racing in another request) is detected by the
 * database itself, and only the sends that won their key get notifications, queue entries and events.
 */
public final class PostgresNotificationStore implements NotificationStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TargetLookup lookup;

    public PostgresNotificationStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this(jdbc, tx, null);
    }

    /** @param lookup hashes each target for the console's exact search by address; null stores no hash */
    public PostgresNotificationStore(JdbcTemplate jdbc, TransactionTemplate tx, TargetLookup lookup) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.lookup = lookup;
    }

    @Override
    public Optional<SendReceipt> findReceipt(long appId, String eventId) {
        return jdbc.query("SELECT response::text FROM send_requests WHERE app_id = ? AND event_id = ?",
                (rs, i) -> JsonCodec.receipt(rs.getString(1)), appId, eventId).stream().findFirst();
    }

    @Override
    public Map<String, SendReceipt> findReceipts(long appId, java.util.Collection<String> eventIds) {
        Map<String, SendReceipt> found = new HashMap<>();
        if (eventIds.isEmpty()) return found;
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "SELECT event_id, response::text FROM send_requests WHERE app_id = ? AND event_id = ANY(?::text[])");
            ps.setLong(1, appId);
            ps.setArray(2, con.createArrayOf("text", eventIds.toArray()));
            return ps;
        }, rs -> {
            found.put(rs.getString(1), JsonCodec.receipt(rs.getString(2)));
        });
        return found;
    }

    @Override
    public List<Stored> acceptAll(List<Accepted> sends) {
        if (sends.isEmpty()) return List.of();
        return tx.execute(status -> {
            Set<String> won = insertReceipts(sends);
            List<NewNotification> rows = new ArrayList<>();
            List<Stored> result = new ArrayList<>(sends.size());
            Map<String, SendReceipt> earlier = new HashMap<>();
            for (Accepted a : sends) {
                if (won.contains(key(a))) {
                    rows.addAll(a.notifications());
                    result.add(new Stored(a.receipt(), false));
                } else {
                    result.add(null);
                }
            }
            insertNotifications(rows);
            insertQueueEntries(rows.stream().filter(NewNotification::queued).toList());
            insertFirstEvents(rows);
            announce(rows);
            for (int i = 0; i < sends.size(); i++) {
                if (result.get(i) == null) {
                    Accepted a = sends.get(i);
                    SendReceipt first = earlier.computeIfAbsent(key(a), k -> findReceipt(a.appId(), a.receipt().eventId()).orElseThrow());
                    result.set(i, new Stored(first, true));
                }
            }
            return result;
        });
    }

    /** Stores planned notifications with their queue entries and first events, inside the caller's transaction. */
    void insertPlanned(List<NewNotification> rows) {
        insertNotifications(rows);
        insertQueueEntries(rows.stream().filter(NewNotification::queued).toList());
        insertFirstEvents(rows);
        announce(rows);
    }

    private Set<String> insertReceipts(List<Accepted> sends) {
        // unnest keeps this one statement whatever the batch size; RETURNING names the keys that were new
        Long[] apps = new Long[sends.size()];
        String[] events = new String[sends.size()];
        String[] responses = new String[sends.size()];
        for (int i = 0; i < sends.size(); i++) {
            apps[i] = sends.get(i).appId();
            events[i] = sends.get(i).receipt().eventId();
            responses[i] = JsonCodec.receipt(sends.get(i).receipt());
        }
        Set<String> won = new HashSet<>();
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    INSERT INTO send_requests (app_id, event_id, response, created_at)
                    SELECT a, e, r::jsonb, now() FROM unnest(?::bigint[], ?::text[], ?::text[]) AS t(a, e, r)
                    ON CONFLICT DO NOTHING RETURNING app_id, event_id""");
            ps.setArray(1, con.createArrayOf("bigint", apps));
            ps.setArray(2, con.createArrayOf("text", events));
            ps.setArray(3, con.createArrayOf("text", responses));
            return ps;
        }, rs -> {
            won.add(rs.getLong(1) + "\u0000" + rs.getString(2));
        });
        return won;
    }

    private void insertNotifications(List<NewNotification> rows) {
        if (rows.isEmpty()) return;
        jdbc.batchUpdate("""
                INSERT INTO notifications (id, app_id, event_id, user_id, channel, priority, category, template_key,
                    template_version, target, target_masked, content, status, reason, detail, attempts, send_at,
                    expires_at, created_at, updated_at, queue, target_hash, broadcast_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)""", rows, 500, (ps, n) -> {
            ps.setObject(1, n.id());
            ps.setLong(2, n.appId());
            ps.setString(3, n.eventId());
            ps.setString(4, n.userId());
            ps.setString(5, n.channel().name());
            ps.setString(6, n.priority().name());
            ps.setString(7, n.category());
            ps.setString(8, n.templateKey());
            if (n.templateVersion() == null) ps.setNull(9, Types.INTEGER);
            else ps.setInt(9, n.templateVersion());
            ps.setString(10, JsonCodec.target(n.target()));
            ps.setString(11, n.target() == null ? null : n.target().masked());
            ps.setString(12, JsonCodec.content(n.content()));
            ps.setString(13, n.status().name());
            ps.setString(14, name(n.reason()));
            ps.setString(15, n.detail());
            ps.setTimestamp(16, ts(n.status() == io.herald.core.model.Status.SCHEDULED ? n.dueAt() : null));
            ps.setTimestamp(17, ts(n.expiresAt()));
            ps.setTimestamp(18, ts(n.createdAt()));
            ps.setTimestamp(19, ts(n.createdAt()));
            ps.setString(20, n.target() == null ? null : WorkQueue.of(n.target()).name());
            ps.setString(21, lookup == null || n.target() == null ? null : lookup.of(n.target()));
            ps.setObject(22, n.broadcastId(), Types.OTHER);
        });
    }

    private void insertQueueEntries(List<NewNotification> rows) {
        if (rows.isEmpty()) return;
        jdbc.batchUpdate("""
                INSERT INTO queue_entries (notification_id, queue, priority, state, available_at, expires_at, enqueued_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", rows, 500, (ps, n) -> {
            ps.setObject(1, n.id());
            ps.setString(2, WorkQueue.of(n.target()).name());
            ps.setString(3, n.priority().name());
            ps.setString(4, n.status() == io.herald.core.model.Status.SCHEDULED ? "SCHEDULED" : "READY");
            ps.setTimestamp(5, ts(n.dueAt()));
            ps.setTimestamp(6, ts(n.expiresAt()));
            ps.setTimestamp(7, ts(n.createdAt()));
        });
    }

    private void insertFirstEvents(List<NewNotification> rows) {
        if (rows.isEmpty()) return;
        jdbc.batchUpdate("INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail) VALUES (?, ?, ?, 0, ?, ?)",
                rows, 500, (ps, n) -> {
                    ps.setObject(1, n.id());
                    ps.setString(2, n.status().name());
                    ps.setTimestamp(3, ts(n.createdAt()));
                    ps.setString(4, name(n.reason()));
                    ps.setString(5, n.detail());
                });
    }

    /**
     * Tells workers in other processes that lanes have new due work; delivered by PostgreSQL at commit (and not at all
     * on rollback). Workers in this process are rung directly by intake.
     */
    private void announce(List<NewNotification> rows) {
        String[] lanes = rows.stream().filter(n -> n.status() == io.herald.core.model.Status.QUEUED)
                .map(n -> WorkQueue.of(n.target()).name() + ":" + n.priority()).distinct().toArray(String[]::new);
        if (lanes.length == 0) return;
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("SELECT pg_notify('" + PostgresWorkListener.CHANNEL + "', lane) FROM unnest(?::text[]) lane");
            ps.setArray(1, con.createArrayOf("text", lanes));
            return ps;
        }, rs -> {
        });
    }

    private static String key(Accepted a) {
        return a.appId() + "\u0000" + a.receipt().eventId();
    }

}
