package io.herald.postgres;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** The append-only audit trail (the database itself refuses updates and deletes of it). */
public final class PostgresAuditLog implements io.herald.core.admin.AuditTrail {

    private final JdbcTemplate jdbc;

    public PostgresAuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // Entry and Filter are AuditTrail's records

    /** Records one change. Call inside the transaction of the change, so there is no change without its entry. */
    public void record(Instant at, String actor, String action, String entityType, String entityId, String diffJson) {
        jdbc.update("INSERT INTO audit_log (at, actor, action, entity_type, entity_id, diff) VALUES (?, ?, ?, ?, ?, ?::jsonb)",
                ts(at), actor, action, entityType, entityId, diffJson == null ? "{}" : diffJson);
    }

    /** Oldest first, paged by id. */
    public List<Entry> search(Filter f) {
        return search(f, false);
    }

    @Override
    public List<Entry> searchNewestFirst(Filter f) {
        return search(f, true);
    }

    private List<Entry> search(Filter f, boolean newestFirst) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, entity_type, entity_id, diff::text FROM audit_log WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (f.entityType() != null) {
            sql.append(" AND entity_type = ?");
            args.add(f.entityType());
        }
        if (f.entityId() != null) {
            sql.append(" AND entity_id = ?");
            args.add(f.entityId());
        }
        if (f.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(f.actor());
        }
        if (f.from() != null) {
            sql.append(" AND at >= ?");
            args.add(ts(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND at < ?");
            args.add(ts(f.to()));
        }
        if (f.afterId() != null) {
            sql.append(newestFirst ? " AND id < ?" : " AND id > ?");
            args.add(f.afterId());
        }
        sql.append(newestFirst ? " ORDER BY id DESC LIMIT ?" : " ORDER BY id LIMIT ?");
        args.add(f.limit());
        return jdbc.query(sql.toString(), (rs, i) -> new Entry(rs.getLong(1), instant(rs.getTimestamp(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), args.toArray());
    }
}
