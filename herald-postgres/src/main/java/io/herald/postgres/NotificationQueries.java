package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.TargetLookup;
import io.herald.core.provider.DeliveryReceipts;
import io.herald.core.trace.NotificationTraces;
import io.herald.core.trace.TrackingEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Traces, searches, receipts and tracking events of notifications, always within one app. */
public final class NotificationQueries implements DeliveryReceipts, NotificationTraces {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public NotificationQueries(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    // Event, NotificationView and Filter are NotificationTraces' records

    public Optional<NotificationView> get(long appId, UUID id) {
        List<NotificationView> found = jdbc.query(SELECT + " WHERE app_id = ? AND id = ?", (rs, i) -> view(rs, null), appId, id);
        if (found.isEmpty()) return Optional.empty();
        // events kept on the notification row (V23: intake's first, V28: a hand-off's SENDING, V29: a first claim's)
        // and event rows, in the order the view gives them
        List<Event> events = jdbc.query("""
                SELECT status, at, attempt, provider, reason, detail FROM notification_history
                WHERE notification_id = ? ORDER BY seq""", (rs, i) -> new Event(rs.getString(1), instant(rs.getTimestamp(2)),
                (Integer) rs.getObject(3), rs.getString(4), rs.getString(5), rs.getString(6)), id);
        NotificationView v = found.getFirst();
        return Optional.of(new NotificationView(v.id(), v.eventId(), v.userId(), v.channel(), v.priority(), v.category(),
                v.templateKey(), v.templateVersion(), v.target(), v.status(), v.reason(), v.detail(), v.attempts(), v.provider(),
                v.providerMessageId(), v.sendAt(), v.expiresAt(), v.createdAt(), v.updatedAt(), events, v.broadcastId()));
    }

    /**
     * Newest first; ask for limit + 1 rows to know whether there is a next page. A search by address reads two
     * branches: notifications outside broadcasts by the index on the target's hash, and broadcasts' notifications
     * through the users who have that address now (a broadcast's million rows are not in that index: an entry at a
     * random place of it per recipient cost a fan-out ~10% of its time, docs/benchmarks.md).
     */
    public List<NotificationView> search(long appId, Filter f) {
        if (f.target() == null) {
            List<Object> args = new ArrayList<>(List.of(appId));
            String sql = SELECT + " WHERE app_id = ?" + filters(f, args) + " ORDER BY created_at DESC, id DESC LIMIT ?";
            args.add(f.limit());
            return jdbc.query(sql, (rs, i) -> view(rs, List.of()), args.toArray());
        }
        String contact = f.target().kind() == TargetLookup.Typed.Kind.EMAIL ? "lower(email)" : "phone";
        List<Object> args = new ArrayList<>(List.of(appId, f.target().hash()));
        StringBuilder sql = new StringBuilder("(" + SELECT + " WHERE app_id = ? AND target_hash = ? AND broadcast_id IS NULL");
        sql.append(filters(f, args)).append(" ORDER BY created_at DESC, id DESC LIMIT ?)");
        args.add(f.limit());
        sql.append(" UNION ALL (").append(SELECT)
                .append(" WHERE app_id = ? AND user_id IN (SELECT user_id FROM users WHERE app_id = ? AND ")
                .append(contact).append(" = ?) AND target_hash = ? AND broadcast_id IS NOT NULL");
        args.addAll(List.of(appId, appId, f.target().normalised(), f.target().hash()));
        sql.append(filters(f, args)).append(" ORDER BY created_at DESC, id DESC LIMIT ?) ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(f.limit());
        args.add(f.limit());
        return jdbc.query(sql.toString(), (rs, i) -> view(rs, List.of()), args.toArray());
    }

    /** The filters other than the app and the target, as " AND ..." conditions; their values go to args. */
    private static String filters(Filter f, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        if (f.userId() != null) {
            sql.append(" AND user_id = ?");
            args.add(f.userId());
        }
        if (f.eventId() != null) {
            sql.append(" AND event_id = ?");
            args.add(f.eventId());
        }
        if (f.status() != null) {
            // a status off the common path is read through its own small index (V30); the common ones walk newest first
            sql.append(COMMON_STATUSES.contains(f.status()) ? " AND status = ?" : " AND uncommon_status = ?");
            args.add(f.status().name());
        }
        if (f.channel() != null) {
            sql.append(" AND channel = ?");
            args.add(f.channel().name());
        }
        if (f.from() != null) {
            sql.append(" AND created_at >= ?");
            args.add(ts(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND created_at < ?");
            args.add(ts(f.to()));
        }
        if (f.cursorAt() != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(ts(f.cursorAt()));
            args.add(f.cursorId());
        }
        return sql.toString();
    }

    /** The same by the event's API name (DELIVERED, OPENED, CLICKED or CONVERTED). */
    public boolean recordEvent(long appId, UUID id, String type, Instant at, String detail) {
        TrackingEvent event = TrackingEvent.parse(type).orElseThrow(() -> new IllegalArgumentException("not a tracking event: " + type));
        return recordEvent(appId, id, event, at, detail);
    }

    @Override
    public boolean recordEvent(long appId, UUID id, TrackingEvent event, Instant at, String detail) {
        Boolean ok = tx.execute(s -> {
            List<String> status = jdbc.queryForList("SELECT status FROM notifications WHERE app_id = ? AND id = ? FOR UPDATE",
                    String.class, appId, id);
            if (status.isEmpty()) return false;
            jdbc.update("INSERT INTO notification_events (notification_id, status, at, detail) VALUES (?, ?, ?, ?)",
                    id, event.name(), ts(at), detail);
            Status before = Status.valueOf(status.getFirst());
            Status after = event.statusAfter(before); // the rule is the core's; this only applies it
            if (after != before) {
                jdbc.update("UPDATE notifications SET status = ?, updated_at = ? WHERE id = ?", after.name(), ts(at), id);
            }
            return true;
        });
        return Boolean.TRUE.equals(ok);
    }

    @Override
    public boolean delivered(String provider, String providerMessageId, Instant at, String detail) {
        return receipt(provider, providerMessageId, "DELIVERED", null, at, detail);
    }

    @Override
    public boolean failed(String provider, String providerMessageId, Reason reason, Instant at, String detail) {
        return receipt(provider, providerMessageId, "FAILED", reason, at, detail);
    }

    private boolean receipt(String provider, String msgId, String status, Reason reason, Instant at, String detail) {
        Boolean ok = tx.execute(s -> {
            List<UUID> ids = jdbc.queryForList("""
                    UPDATE notifications SET status = ?, reason = ?, detail = COALESCE(?, detail), updated_at = ?
                    WHERE id IN (SELECT notification_id FROM provider_messages WHERE provider = ? AND message_id = ?)
                      AND status IN ('SENT', 'DELIVERED') RETURNING id""",
                    UUID.class, status, reason == null ? null : reason.name(), detail, ts(at), provider, msgId);
            for (UUID id : ids) {
                jdbc.update(
                        "INSERT INTO notification_events (notification_id, status, at, provider, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
                        id, status, ts(at), provider, reason == null ? null : reason.name(), detail);
            }
            return !ids.isEmpty();
        });
        return Boolean.TRUE.equals(ok);
    }

    /** The statuses V30's {@code uncommon_status} maps to null: the ones a send passes through on its way. */
    private static final Set<Status> COMMON_STATUSES = EnumSet.of(Status.QUEUED, Status.SENDING, Status.SENT);

    private static final String SELECT = """
            SELECT id, event_id, user_id, channel, priority, category, template_key, template_version, target_masked, status,
                   reason, detail, attempts, provider, provider_message_id, send_at, expires_at, created_at, updated_at, broadcast_id
            FROM notifications""";

    private static NotificationView view(ResultSet rs, List<Event> events) throws SQLException {
        return new NotificationView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), Channel.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), (Integer) rs.getObject(8), rs.getString(9),
                Status.valueOf(rs.getString(10)), rs.getString(11), rs.getString(12), rs.getInt(13), rs.getString(14),
                rs.getString(15), instant(rs.getTimestamp(16)), instant(rs.getTimestamp(17)), instant(rs.getTimestamp(18)),
                instant(rs.getTimestamp(19)), events, rs.getObject(20, UUID.class));
    }
}
