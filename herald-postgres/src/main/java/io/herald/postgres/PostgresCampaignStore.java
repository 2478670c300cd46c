package io.herald.postgres;

import io.herald.core.audience.Campaign;
import io.herald.core.audience.CampaignStore;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Campaigns on PostgreSQL; the audience and the send are stored as a broadcast stores them. */
public final class PostgresCampaignStore implements CampaignStore {

    private static final String COLUMNS = """
            SELECT id, app_id, name, audience::text, request::text, send_at, throttle_per_second, broadcast_id, created_by, created_at, updated_at
            FROM campaigns""";

    private final JdbcTemplate jdbc;

    public PostgresCampaignStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(Campaign c) {
        jdbc.update(
                """
                        INSERT INTO campaigns (id, app_id, name, audience, request, send_at, throttle_per_second, created_by, created_at, updated_at)
                        VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)""",
                c.id(), c.appId(), c.name(), BroadcastJson.audience(c.audience()),
                BroadcastJson.send(c.send()), ts(c.sendAt()), c.throttlePerSecond(), c.createdBy(), ts(c.createdAt()), ts(c.updatedAt()));
    }

    @Override
    public Optional<Campaign> find(UUID id) {
        return jdbc.query(COLUMNS + " WHERE id = ?", this::campaign, id).stream().findFirst();
    }

    @Override
    public List<Campaign> list(Instant beforeAt, UUID beforeId, int limit) {
        if (beforeAt == null) return jdbc.query(COLUMNS + " ORDER BY created_at DESC, id DESC LIMIT ?", this::campaign, limit);
        return jdbc.query(COLUMNS + " WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?", this::campaign,
                ts(beforeAt), beforeId, limit);
    }

    @Override
    public boolean attach(UUID id, UUID broadcastId, Instant now) {
        return jdbc.update("UPDATE campaigns SET broadcast_id = ?, updated_at = ? WHERE id = ? AND broadcast_id IS NULL", broadcastId,
                ts(now), id) > 0;
    }

    @Override
    public Map<String, Long> funnel(UUID id) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String s : List.of("DELIVERED", "OPENED", "CLICKED", "CONVERTED")) m.put(s, 0L);
        jdbc.query(
                """
                        SELECT e.status, count(DISTINCT e.notification_id) FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                        WHERE n.campaign_id = ? AND e.status IN ('DELIVERED', 'OPENED', 'CLICKED', 'CONVERTED') GROUP BY e.status""",
                rs -> {
                    m.put(rs.getString(1), rs.getLong(2));
                }, id);
        return m;
    }

    @Override
    public Map<String, Long> suppressedByReason(UUID id) {
        Map<String, Long> m = new LinkedHashMap<>();
        jdbc.query("""
                SELECT coalesce(reason, ''), count(*) FROM notifications WHERE campaign_id = ? AND status = 'SUPPRESSED'
                GROUP BY 1 ORDER BY 2 DESC, 1""", rs -> {
            m.put(rs.getString(1), rs.getLong(2));
        }, id);
        return m;
    }

    private Campaign campaign(ResultSet rs, int i) throws SQLException {
        return new Campaign(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), BroadcastJson.audience(rs.getString(4)),
                BroadcastJson.send(rs.getString(5)), instant(rs.getTimestamp(6)), (Integer) rs.getObject(7), rs.getObject(8, UUID.class),
                rs.getString(9), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)));
    }
}
