package io.herald.postgres;

import io.herald.core.audience.Topic;
import io.herald.core.audience.TopicStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Topics and subscriptions; subscriptions are written with one multi-row statement per call. */
public final class PostgresTopicStore implements TopicStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresTopicStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public boolean put(long appId, String key, String name, Instant now) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                INSERT INTO topics (app_id, topic_key, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (app_id, topic_key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
                RETURNING (xmax = 0)""", Boolean.class, appId, key, name, ts(now), ts(now)));
    }

    @Override
    public Optional<Topic> find(long appId, String key) {
        return jdbc.query("SELECT topic_key, name, created_at, updated_at FROM topics WHERE app_id = ? AND topic_key = ?",
                (rs, i) -> topic(rs), appId, key).stream().findFirst();
    }

    @Override
    public List<Topic> list(long appId, String afterKey, int limit) {
        return jdbc.query("""
                SELECT topic_key, name, created_at, updated_at FROM topics
                WHERE app_id = ? AND (?::text IS NULL OR topic_key > ?) ORDER BY topic_key LIMIT ?""",
                (rs, i) -> topic(rs), appId, afterKey, afterKey, limit);
    }

    @Override
    public java.util.Map<String, Long> subscriberCounts(long appId, List<String> keys) {
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        keys.forEach(k -> counts.put(k, 0L));
        if (keys.isEmpty()) return counts;
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    SELECT topic_key, count(*) FROM topic_subscribers WHERE app_id = ? AND topic_key = ANY (?) GROUP BY topic_key""");
            ps.setLong(1, appId);
            ps.setArray(2, con.createArrayOf("text", keys.toArray()));
            return ps;
        }, rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    @Override
    public boolean delete(long appId, String key) {
        return jdbc.update("DELETE FROM topics WHERE app_id = ? AND topic_key = ?", appId, key) > 0;
    }

    @Override
    public int subscribe(long appId, String key, List<String> userIds, Instant now) {
        if (userIds.isEmpty()) return 0;
        Integer added = tx.execute(s -> {
            jdbc.update(con -> {
                PreparedStatement ps = con.prepareStatement("""
                        INSERT INTO users (app_id, user_id, created_at, updated_at)
                        SELECT ?, u, ?, ? FROM unnest(?::text[]) AS u ORDER BY u ON CONFLICT DO NOTHING""");
                ps.setLong(1, appId);
                ps.setTimestamp(2, ts(now));
                ps.setTimestamp(3, ts(now));
                ps.setArray(4, con.createArrayOf("text", userIds.toArray()));
                return ps;
            });
            return insertSubscribers(jdbc, appId, java.util.Collections.nCopies(userIds.size(), key), userIds, now);
        });
        return added == null ? 0 : added;
    }

    /** One statement for many (topic, user) pairs; existing pairs are left alone. @return how many were new */
    static int insertSubscribers(JdbcTemplate jdbc, long appId, List<String> keys, List<String> userIds, Instant now) {
        return jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    INSERT INTO topic_subscribers (app_id, topic_key, user_id, subscribed_at)
                    SELECT DISTINCT ?::bigint, k, u, ?::timestamptz FROM unnest(?::text[], ?::text[]) AS t(k, u) ON CONFLICT DO NOTHING""");
            ps.setLong(1, appId);
            ps.setTimestamp(2, ts(now));
            ps.setArray(3, con.createArrayOf("text", keys.toArray()));
            ps.setArray(4, con.createArrayOf("text", userIds.toArray()));
            return ps;
        });
    }

    @Override
    public boolean unsubscribe(long appId, String key, String userId) {
        return jdbc.update("DELETE FROM topic_subscribers WHERE app_id = ? AND topic_key = ? AND user_id = ?", appId, key, userId) > 0;
    }

    @Override
    public List<String> subscribers(long appId, String key, String afterUserId, int limit) {
        return jdbc.queryForList("""
                SELECT user_id FROM topic_subscribers WHERE app_id = ? AND topic_key = ? AND (?::text IS NULL OR user_id > ?)
                ORDER BY user_id LIMIT ?""", String.class, appId, key, afterUserId, afterUserId, limit);
    }

    private static Topic topic(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Topic(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)));
    }
}
