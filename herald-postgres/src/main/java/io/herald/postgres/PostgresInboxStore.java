package io.herald.postgres;

import io.herald.core.inbox.InboxAction;
import io.herald.core.inbox.InboxFilter;
import io.herald.core.inbox.InboxItem;
import io.herald.core.inbox.InboxStore;
import io.herald.core.inbox.InboxUser;
import io.herald.core.model.Content;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/**
 * Inbox items in PostgreSQL. Changes that open streams must hear are announced with
 * {@code pg_notify('herald_inbox', ...)} inside their transaction, so every node hears them exactly at commit:
 * {@code m:<seq>:<appId>:<userId>} for a new item, {@code c:<appId>:<userId>} for a changed unread count
 * ({@link PostgresInboxSignals} reads them).
 */
public final class PostgresInboxStore implements InboxStore {

    public static final String CHANNEL = "herald_inbox";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresInboxStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public long deliver(long appId, String userId, UUID notificationId, Content content, Instant at) {
        Long seq = tx.execute(s -> {
            List<Long> inserted = jdbc.queryForList("""
                    INSERT INTO inbox_items (id, app_id, user_id, title, body, url, data, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (id) DO NOTHING RETURNING seq""", Long.class,
                    notificationId, appId, userId, content.title(), content.body(), content.url(),
                    content.data().isEmpty() ? null : JsonCodec.MAPPER.writeValueAsString(content.data()), ts(at));
            if (inserted.isEmpty()) {
                return jdbc.queryForObject("SELECT seq FROM inbox_items WHERE id = ?", Long.class, notificationId);
            }
            notify("m:" + inserted.getFirst() + ":" + appId + ":" + userId);
            return inserted.getFirst();
        });
        return seq;
    }

    @Override
    public List<InboxItem> page(InboxUser user, InboxFilter filter, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE app_id = ? AND user_id = ?");
        List<Object> args = new ArrayList<>(List.of(user.appId(), user.userId()));
        sql.append(switch (filter) {
            case null -> " AND archived_at IS NULL";
            case UNREAD -> " AND read_at IS NULL AND archived_at IS NULL";
            case READ -> " AND read_at IS NOT NULL AND archived_at IS NULL";
            case ARCHIVED -> " AND archived_at IS NOT NULL";
        });
        if (beforeSeq != null) {
            sql.append(" AND seq < ?");
            args.add(beforeSeq);
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), PostgresInboxStore::item, args.toArray());
    }

    @Override
    public List<InboxItem> since(InboxUser user, long afterSeq, int limit) {
        return jdbc.query(SELECT + " WHERE app_id = ? AND user_id = ? AND seq > ? AND archived_at IS NULL ORDER BY seq LIMIT ?",
                PostgresInboxStore::item, user.appId(), user.userId(), afterSeq, limit);
    }

    @Override
    public Optional<InboxItem> bySeq(InboxUser user, long seq) {
        return jdbc.query(SELECT + " WHERE app_id = ? AND user_id = ? AND seq = ?", PostgresInboxStore::item,
                user.appId(), user.userId(), seq).stream().findFirst();
    }

    @Override
    public long latestSeq(InboxUser user) {
        Long n = jdbc.queryForObject("SELECT max(seq) FROM inbox_items WHERE app_id = ? AND user_id = ?", Long.class,
                user.appId(), user.userId());
        return n == null ? 0 : n;
    }

    @Override
    public long unreadCount(InboxUser user) {
        Long n = jdbc.queryForObject(
                "SELECT count(*) FROM inbox_items WHERE app_id = ? AND user_id = ? AND read_at IS NULL AND archived_at IS NULL",
                Long.class, user.appId(), user.userId());
        return n == null ? 0 : n;
    }

    @Override
    public Optional<Marked> mark(InboxUser user, UUID id, InboxAction action, Instant at) {
        return Optional.ofNullable(tx.execute(s -> {
            List<InboxItem> found = jdbc.query(SELECT + " WHERE app_id = ? AND user_id = ? AND id = ? FOR UPDATE",
                    PostgresInboxStore::item, user.appId(), user.userId(), id);
            if (found.isEmpty()) return null;
            InboxItem old = found.getFirst();
            Instant readAt = switch (action) {
                case READ -> old.readAt() != null ? old.readAt() : at;
                case UNREAD -> null;
                case ARCHIVE -> old.readAt();
            };
            Instant archivedAt = action == InboxAction.ARCHIVE ? (old.archivedAt() != null ? old.archivedAt() : at) : old.archivedAt();
            boolean changed = !java.util.Objects.equals(readAt, old.readAt()) || !java.util.Objects.equals(archivedAt, old.archivedAt());
            if (!changed) return new Marked(old, false);
            jdbc.update("UPDATE inbox_items SET read_at = ?, archived_at = ? WHERE id = ?", ts(readAt), ts(archivedAt), id);
            boolean wasUnread = old.readAt() == null && old.archivedAt() == null;
            boolean isUnread = readAt == null && archivedAt == null;
            if (wasUnread != isUnread) notify("c:" + user.appId() + ":" + user.userId());
            return new Marked(new InboxItem(old.id(), old.seq(), old.title(), old.body(), old.url(), old.data(), old.createdAt(),
                    readAt, archivedAt), true);
        }));
    }

    @Override
    public int readAll(InboxUser user, Instant at) {
        Integer n = tx.execute(s -> {
            int changed = jdbc.update(
                    "UPDATE inbox_items SET read_at = ? WHERE app_id = ? AND user_id = ? AND read_at IS NULL AND archived_at IS NULL",
                    ts(at), user.appId(), user.userId());
            if (changed > 0) notify("c:" + user.appId() + ":" + user.userId());
            return changed;
        });
        return n == null ? 0 : n;
    }

    /**
     * A key shared by every node through the database, made at first use. Racing nodes agree: the first insert wins
     * and everyone reads it back.
     */
    public byte[] sharedKey(String name, Instant now) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        jdbc.update("INSERT INTO server_keys (name, key, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING", name, fresh, ts(now));
        return jdbc.queryForObject("SELECT key FROM server_keys WHERE name = ?", byte[].class, name);
    }

    private void notify(String payload) {
        jdbc.query("SELECT pg_notify(?, ?)", (org.springframework.jdbc.core.RowCallbackHandler) rs -> {
        }, CHANNEL, payload);
    }

    private static final String SELECT = "SELECT id, seq, title, body, url, data::text, created_at, read_at, archived_at FROM inbox_items";

    private static InboxItem item(ResultSet rs, int i) throws SQLException {
        Map<String, String> data = new LinkedHashMap<>();
        String json = rs.getString(6);
        if (json != null) JsonCodec.MAPPER.readTree(json).properties().forEach(e -> data.put(e.getKey(), e.getValue().asString()));
        return new InboxItem(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), data,
                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)));
    }
}
