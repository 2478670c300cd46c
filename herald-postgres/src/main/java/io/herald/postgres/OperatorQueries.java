package io.herald.postgres;

import io.herald.core.admin.OperatorViews;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Read models of the operator console that span apps: throughput, dead letters, a notification's stored content. */
public final class OperatorQueries implements OperatorViews {

    private final JdbcTemplate jdbc;

    public OperatorQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // Minute, DeadLetter and ReasonCount are OperatorViews' records

    /** Outcomes per minute from {@code since} to {@code now}, a row for every minute (zeros included). */
    @Override
    public List<Minute> throughput(Instant since, Instant now) {
        return jdbc.query("""
                WITH m AS (SELECT generate_series(date_trunc('minute', ?::timestamptz), date_trunc('minute', ?::timestamptz),
                                                  interval '1 minute') AS minute),
                     e AS (SELECT date_trunc('minute', at) AS minute, count(*) FILTER (WHERE status = 'SENT') AS sent,
                                  count(*) FILTER (WHERE status = 'FAILED') AS failed
                           FROM notification_events WHERE status IN ('SENT', 'FAILED') AND at >= ? AND at <= ? GROUP BY 1)
                SELECT m.minute, COALESCE(e.sent, 0), COALESCE(e.failed, 0) FROM m LEFT JOIN e USING (minute) ORDER BY m.minute""",
                (rs, i) -> new Minute(instant(rs.getTimestamp(1)), rs.getLong(2), rs.getLong(3)), ts(since), ts(now), ts(since), ts(now));
    }

    /** How many dead letters there are per channel and reason. */
    @Override
    public List<ReasonCount> deadLetterCounts() {
        return jdbc.query("""
                SELECT channel, COALESCE(reason, ''), count(*) FROM notifications
                WHERE dead_lettered_at IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2""",
                (rs, i) -> new ReasonCount(Channel.valueOf(rs.getString(1)), rs.getString(2), rs.getLong(3)));
    }

    /** Newest first; a page after another starts below the (deadLetteredAt, id) of the previous page's last row. */
    @Override
    public List<DeadLetter> deadLetters(Channel channel, String reason, Instant beforeAt, UUID beforeId, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT n.id, a.app_key, n.event_id, n.user_id, n.channel, n.priority, n.target_masked, n.reason, n.detail,
                       n.attempts, n.dead_lettered_at
                FROM notifications n JOIN apps a ON a.id = n.app_id WHERE n.dead_lettered_at IS NOT NULL""");
        List<Object> args = new ArrayList<>();
        if (channel != null) {
            sql.append(" AND n.channel = ?");
            args.add(channel.name());
        }
        if (reason != null) {
            sql.append(" AND COALESCE(n.reason, '') = ?");
            args.add(reason);
        }
        if (beforeAt != null && beforeId != null) {
            sql.append(" AND (n.dead_lettered_at, n.id) < (?, ?)");
            args.add(java.sql.Timestamp.from(beforeAt));
            args.add(beforeId);
        }
        sql.append(" ORDER BY n.dead_lettered_at DESC, n.id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> new DeadLetter(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                rs.getString(4), Channel.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getInt(10), instant(rs.getTimestamp(11))), args.toArray());
    }

    /** The content a notification was (or will be) sent with, as rendered at intake. */
    @Override
    public Optional<Content> content(long appId, UUID id) {
        return jdbc.query("SELECT content::text FROM notifications WHERE app_id = ? AND id = ? AND content IS NOT NULL",
                (rs, i) -> JsonCodec.content(rs.getString(1)), appId, id).stream().findFirst();
    }

    @Override
    public boolean isDeadLetter(UUID id) {
        return Boolean.TRUE
                .equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM notifications WHERE id = ? AND dead_lettered_at IS NOT NULL)",
                        Boolean.class, id));
    }
}
