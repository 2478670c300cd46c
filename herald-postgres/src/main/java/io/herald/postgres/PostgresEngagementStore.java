package io.herald.postgres;

import io.herald.core.engagement.ConversionAttribution;
import io.herald.core.engagement.EngagementStore;
import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.trace.TrackingEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.herald.core.engagement.SuppressionList.normalise;
import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Tracking settings, opens and clicks, provider receipts found by notification id, suppressions and conversions. */
public final class PostgresEngagementStore implements EngagementStore {

    /** The statuses a provider's receipt may change, as the core's rule lists them, for the SQL. */
    private static final String TAKES_RECEIPTS = Stream.of(Status.values()).filter(EngagementStore::takesReceipts)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresEngagementStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public Settings forApp(long appId) {
        return jdbc.query("SELECT enabled, disabled_templates FROM tracking_settings WHERE app_id = ?", (rs, i) -> {
            Array a = rs.getArray(2);
            return new Settings(rs.getBoolean(1), Set.of((String[]) a.getArray()));
        }, appId).stream().findFirst().orElse(Settings.DEFAULT);
    }

    @Override
    public void saveSettings(long appId, Settings s, Instant now) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO tracking_settings (app_id, enabled, disabled_templates, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (app_id) DO UPDATE SET enabled = excluded.enabled, disabled_templates = excluded.disabled_templates,
                        updated_at = excluded.updated_at""");
            ps.setLong(1, appId);
            ps.setBoolean(2, s.enabled());
            ps.setArray(3, con.createArrayOf("text", s.disabledTemplates().stream().sorted().toArray()));
            ps.setTimestamp(4, ts(now));
            return ps;
        });
    }

    @Override
    public Optional<String> templateOf(UUID notificationId) {
        return jdbc.queryForList("SELECT template_key FROM notifications WHERE id = ?", String.class, notificationId)
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public Optional<Tracked> tracked(UUID id) {
        return jdbc.query("""
                SELECT n.app_id, n.channel, n.content::text, n.target->>'address',
                       (SELECT min(e.at) FROM notification_events e WHERE e.notification_id = n.id AND e.status IN ('SENT', 'DELIVERED'))
                FROM notifications n WHERE n.id = ?""", (rs, i) -> new Tracked(id, rs.getLong(1), Channel.valueOf(rs.getString(2)),
                rs.getString(3) == null ? null : JsonCodec.content(rs.getString(3)), rs.getString(4), instant(rs.getTimestamp(5))), id)
                .stream().findFirst();
    }

    @Override
    public boolean recordEngagement(UUID id, TrackingEvent event, Instant at, boolean automated, String detail) {
        String status = event.name();
        return Boolean.TRUE.equals(tx.execute(s -> {
            List<String> current = jdbc.queryForList("SELECT status FROM notifications WHERE id = ? FOR UPDATE", String.class, id);
            if (current.isEmpty()) return false;
            Integer seen = jdbc.queryForObject(
                    "SELECT count(*) FROM notification_events WHERE notification_id = ? AND status = ? AND automated = ?",
                    Integer.class, id, status, automated);
            if (seen != null && seen > 0) return false;
            jdbc.update("INSERT INTO notification_events (notification_id, status, at, detail, automated) VALUES (?, ?, ?, ?, ?)",
                    id, status, ts(at), detail, automated);
            Status before = Status.valueOf(current.getFirst());
            Status after = EngagementStore.statusAfterEngagement(event, before, automated); // the core's rule, applied here
            if (after != before) {
                jdbc.update("UPDATE notifications SET status = ?, updated_at = ? WHERE id = ?", after.name(), ts(at), id);
                jdbc.update("INSERT INTO notification_events (notification_id, status, at, detail) VALUES (?, ?, ?, ?)",
                        id, after.name(), ts(at), "implied by " + status.toLowerCase(Locale.ROOT));
            }
            return true;
        }));
    }

    @Override
    public Optional<Long> receipt(UUID id, String provider, Status status, Reason reason, Instant at, String detail) {
        return Optional.ofNullable(tx.execute(s -> {
            List<Long> apps = jdbc.queryForList("""
                    UPDATE notifications SET status = ?, reason = ?, detail = COALESCE(?, detail), updated_at = ?
                    WHERE id = ? AND status IN (""" + TAKES_RECEIPTS + ") RETURNING app_id",
                    Long.class, status.name(), reason == null ? null : reason.name(), detail, ts(at), id);
            if (apps.isEmpty()) return null;
            jdbc.update("INSERT INTO notification_events (notification_id, status, at, provider, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
                    id, status.name(), ts(at), provider, reason == null ? null : reason.name(), detail);
            return apps.getFirst();
        }));
    }

    @Override
    public Optional<Long> appOf(UUID id) {
        return jdbc.queryForList("SELECT app_id FROM notifications WHERE id = ?", Long.class, id).stream().findFirst();
    }

    // --- suppressions

    @Override
    public boolean isSuppressed(long appId, String address) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM suppressions WHERE app_id = ? AND address = ?)",
                Boolean.class, appId, normalise(address)));
    }

    @Override
    public boolean hasSuppressions(long appId) {
        return Boolean.TRUE
                .equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM suppressions WHERE app_id = ?)", Boolean.class, appId));
    }

    @Override
    public boolean suppress(long appId, String address, String reason, String source, String detail, Instant now) {
        return jdbc.update("""
                INSERT INTO suppressions (app_id, address, reason, source, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", appId, normalise(address), reason, source, detail, ts(now)) > 0;
    }

    @Override
    public boolean unsuppress(long appId, String address) {
        return jdbc.update("DELETE FROM suppressions WHERE app_id = ? AND address = ?", appId, normalise(address)) > 0;
    }

    @Override
    public List<Suppression> suppressions(long appId, String after, int limit) {
        return jdbc.query("""
                SELECT address, reason, source, detail, created_at FROM suppressions
                WHERE app_id = ? AND address > ? ORDER BY address LIMIT ?""",
                (rs, i) -> new Suppression(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs.getTimestamp(5))),
                appId, after == null ? "" : after, limit);
    }

    // --- conversions

    @Override
    public List<ConversionAttribution.Candidate> conversionCandidates(long appId, String eventId, Instant at) {
        return jdbc.query(
                """
                        SELECT n.id, n.created_at,
                               (SELECT max(e.at) FROM notification_events e WHERE e.notification_id = n.id AND e.status = 'CLICKED' AND NOT e.automated),
                               (SELECT max(e.at) FROM notification_events e WHERE e.notification_id = n.id AND e.status = 'OPENED' AND NOT e.automated)
                        FROM notifications n WHERE n.app_id = ? AND n.event_id = ? AND n.created_at <= ?
                          AND n.status IN ('SENT', 'DELIVERED')""",
                (rs, i) -> new ConversionAttribution.Candidate(rs.getObject(1, UUID.class), instant(rs.getTimestamp(2)),
                        instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4))),
                appId, eventId, ts(at));
    }
}
