package io.herald.postgres;

import io.herald.core.engagement.EngagementAnalytics;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Reads the hourly counters {@link PostgresEngagementAggregator} maintains: never a scan of the history. */
public final class PostgresAnalytics implements EngagementAnalytics {

    // Filter and HourCount are EngagementAnalytics' records

    private final JdbcTemplate jdbc;

    public PostgresAnalytics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<HourCount> hourly(long appId, Instant from, Instant to, Filter f) {
        StringBuilder sql = new StringBuilder(
                "SELECT hour, metric, reason, sum(count) FROM analytics_hourly WHERE app_id = ? AND hour >= ? AND hour < ?");
        List<Object> args = new ArrayList<>(List.of(appId, ts(from), ts(to)));
        if (f.template() != null) {
            sql.append(" AND template_key = ?");
            args.add(f.template());
        }
        if (f.campaign() != null) {
            sql.append(" AND campaign_id = ?");
            args.add(f.campaign());
        }
        if (f.channel() != null) {
            sql.append(" AND channel = ?");
            args.add(f.channel());
        }
        if (f.category() != null) {
            sql.append(" AND category = ?");
            args.add(f.category());
        }
        sql.append(" GROUP BY hour, metric, reason ORDER BY hour");
        return jdbc.query(sql.toString(), (rs, i) -> new HourCount(instant(rs.getTimestamp(1)), rs.getString(2), rs.getString(3),
                rs.getLong(4)), args.toArray());
    }
}
