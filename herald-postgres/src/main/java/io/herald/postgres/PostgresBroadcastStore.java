package io.herald.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.herald.core.audience.Audience;
import io.herald.core.audience.BroadcastStatus;
import io.herald.core.audience.BroadcastStore;
import io.herald.core.intake.NewNotification;
import io.herald.core.intake.Recipient;
import io.herald.core.intake.SendReceipt;
import io.herald.core.intake.SendRequest;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Broadcasts on PostgreSQL: a leased row with a keyset cursor, moved in the transaction of each page it plans. */
public final class PostgresBroadcastStore implements BroadcastStore {

    private static final String COLUMNS = """
            id, app_id, event_id, audience::text, request::text, status, cursor_user_id, recipients, planned, created_at, finished_at,
            campaign_id, throttle_per_second, not_before""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final PostgresNotificationStore notifications;

    /** From this many recipients on, a broadcast's counts by status are reused (see {@link #recentCounts}). */
    static final long COUNTS_CACHED_FROM = 10_000;
    static final Duration COUNTS_KEPT = Duration.ofSeconds(1);
    static final Duration COUNTS_KEPT_AT_MOST = Duration.ofSeconds(30);

    /**
     * Counts by status of large broadcasts, reused for a second or for ten times what counting took, whichever is longer:
     * each is a pass over the broadcast's notifications (a million index entries and their heap pages for a 1M audience,
     * a few hundred ms while it fans out), and clients and consoles poll progress; at 5 polls a second it took a visible
     * share of PostgreSQL during a fan-out, and still 4% of its samples at one poll a second (docs/benchmarks.md), so
     * polling costs at most a tenth of one backend. Small broadcasts are always counted afresh, and a cancel drops the
     * entry, so its answer shows the cancellation.
     */
    private final Cache<UUID, Counted> recentCounts;

    /** Counts and how long (ticker nanos) counting them took. */
    private record Counted(Map<String, Long> byStatus, long tookNanos) {
    }

    /** How long counts that took {@code tookNanos} to count are reused: 10x that, at least {@link #COUNTS_KEPT}, at most 30 s. */
    public static long countsKeptNanos(long tookNanos) {
        // capped before multiplying so that no duration overflows; a negative one clamps to the minimum
        return Math.clamp(Math.min(tookNanos, COUNTS_KEPT_AT_MOST.toNanos()) * 10, COUNTS_KEPT.toNanos(), COUNTS_KEPT_AT_MOST.toNanos());
    }

    private final Ticker ticker;

    public PostgresBroadcastStore(JdbcTemplate jdbc, TransactionTemplate tx, PostgresNotificationStore notifications) {
        this(jdbc, tx, notifications, Ticker.systemTicker());
    }

    /** @param ticker the time of the counts' reuse (a test's, to pass a second without waiting) */
    public PostgresBroadcastStore(JdbcTemplate jdbc, TransactionTemplate tx, PostgresNotificationStore notifications, Ticker ticker) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.notifications = notifications;
        this.ticker = ticker;
        this.recentCounts = Caffeine.newBuilder()
                .expireAfter(Expiry.<UUID, Counted>creating((id, c) -> Duration.ofNanos(countsKeptNanos(c.tookNanos()))))
                .maximumSize(1_000).ticker(ticker).build();
    }

    @Override
    public Created create(long appId, UUID id, Audience audience, SendRequest send, Instant now, Schedule schedule) {
        return tx.execute(s -> {
            // the eventId is reserved like any send's, so a single send cannot take it later (nor this take one's)
            int reserved = jdbc.update("""
                    INSERT INTO send_requests (app_id, event_id, response, created_at) VALUES (?, ?, ?::jsonb, ?)
                    ON CONFLICT DO NOTHING""", appId, send.eventId(), JsonCodec.receipt(new SendReceipt(send.eventId(), List.of())),
                    ts(now));
            if (reserved == 0) {
                Broadcast earlier = jdbc.query("SELECT " + COLUMNS + " FROM broadcasts WHERE app_id = ? AND event_id = ?",
                        this::broadcast, appId, send.eventId()).stream().findFirst()
                        .orElseThrow(() -> new EventIdTakenException(send.eventId()));
                return new Created(earlier, true);
            }
            jdbc.update("""
                    INSERT INTO broadcasts (id, app_id, event_id, audience, request, status, created_at, updated_at, campaign_id,
                        throttle_per_second, not_before)
                    VALUES (?, ?, ?, ?::jsonb, ?::jsonb, 'FANNING_OUT', ?, ?, ?, ?, ?)""", id, appId, send.eventId(),
                    BroadcastJson.audience(audience), BroadcastJson.send(send), ts(now), ts(now), schedule.campaignId(),
                    schedule.throttlePerSecond(), ts(schedule.notBefore()));
            return new Created(new Broadcast(id, appId, send.eventId(), audience, send, BroadcastStatus.FANNING_OUT, null, 0, 0, now, null,
                    schedule), false);
        });
    }

    @Override
    public Optional<Broadcast> claim(String owner, Instant now, Duration lease) {
        return jdbc.query("""
                UPDATE broadcasts SET lease_owner = ?, lease_until = ?, updated_at = ?
                WHERE id = (SELECT id FROM broadcasts WHERE status = 'FANNING_OUT' AND (lease_until IS NULL OR lease_until < ?)
                              AND (not_before IS NULL OR not_before <= ?)
                            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING\s""" + COLUMNS, this::broadcast, owner, ts(now.plus(lease)), ts(now), ts(now), ts(now)).stream().findFirst();
    }

    @Override
    public List<Recipient> page(long appId, Audience audience, String afterUserId, int limit, boolean withDevices) {
        List<Object> args = new ArrayList<>();
        String sql = switch (audience) {
            case Audience.All all -> {
                args.add(appId);
                yield "SELECT " + USER_COLUMNS + " FROM users u WHERE u.app_id = ?";
            }
            case Audience.OfTopic t -> {
                args.add(appId);
                args.add(t.key());
                yield "SELECT " + USER_COLUMNS + """
                         FROM topic_subscribers s JOIN users u ON u.app_id = s.app_id AND u.user_id = s.user_id
                        WHERE s.app_id = ? AND s.topic_key = ?""";
            }
            case Audience.Filter f -> {
                args.add(appId);
                StringBuilder b = new StringBuilder("SELECT " + USER_COLUMNS + " FROM users u WHERE u.app_id = ?");
                if (f.locale() != null) {
                    b.append(" AND u.locale = ?");
                    args.add(f.locale());
                }
                if (f.timezone() != null) {
                    b.append(" AND u.timezone = ?");
                    args.add(f.timezone());
                }
                if (!f.attributes().isEmpty()) {
                    b.append(" AND u.attributes @> ?::jsonb");
                    args.add(BroadcastJson.attributes(f));
                }
                yield b.toString();
            }
        };
        if (afterUserId != null) {
            sql += " AND u.user_id > ?";
            args.add(afterUserId);
            // a topic's page is a merge join of two index scans: PostgreSQL does not carry the bound across the join,
            // so without it on the subscriptions too every page started at the topic's first subscriber (EXPLAIN on
            // 300,000 subscribers, a page at 250,000: 175 ms with one bound, 0.3 ms with both; quadratic before)
            if (audience instanceof Audience.OfTopic) {
                sql += " AND s.user_id > ?";
                args.add(afterUserId);
            }
        }
        sql += " ORDER BY u.user_id LIMIT ?";
        args.add(limit);
        List<UserProfile> users = jdbc.query(sql, (rs, i) -> PostgresUserStore.profile(appId, rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)), args.toArray());
        if (!withDevices) return users.stream().map(u -> new Recipient(u, null)).toList();
        Map<String, List<Target.Device>> devices = PostgresUserStore.activeDevicesByUser(jdbc, appId,
                users.stream().map(UserProfile::userId).toArray(String[]::new));
        return users.stream().map(u -> new Recipient(u, devices.getOrDefault(u.userId(), List.of()))).toList();
    }

    private static final String USER_COLUMNS = "u.user_id, u.email, u.phone, u.locale, u.timezone, u.preferences::text";

    @Override
    public boolean commitPage(Broadcast b, String owner, Page page, Instant now, Duration lease, Instant notBefore, Turn turn) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            // the rows first: a page committing behind another inserts them meanwhile and waits only at the cursor's
            // row lock below, held by the page before it until that one commits (a campaign's rows carry it from
            // their insert; an UPDATE afterwards wrote every row twice)
            notifications.insertPlanned(page.notifications(), b.schedule().campaignId());
            // the row lock taken here orders this page after the one before it (which may have rolled back: then the
            // cursor is not where this page starts) and against a concurrent pause or cancel. Locked first on its own:
            // an UPDATE would test the cursor on the row as it was before the page ahead committed, and not wait
            try {
                turn.awaitTurn();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.setRollbackOnly();
                return false;
            }
            List<String> cursor = jdbc.query("SELECT cursor_user_id FROM broadcasts WHERE id = ? FOR UPDATE", (rs, i) -> rs.getString(1),
                    b.id());
            turn.locked();
            if (cursor.isEmpty() || !java.util.Objects.equals(cursor.getFirst(), page.after())) {
                s.setRollbackOnly();
                return false;
            }
            boolean release = page.finished() || notBefore != null;
            int moved = jdbc.update("""
                    UPDATE broadcasts SET cursor_user_id = ?, recipients = recipients + ?, planned = planned + ?,
                        lease_until = CASE WHEN ? THEN NULL ELSE ?::timestamptz END, not_before = ?,
                        updated_at = ?, status = CASE WHEN ? THEN 'COMPLETED' ELSE status END,
                        finished_at = CASE WHEN ? THEN ?::timestamptz ELSE finished_at END,
                        lease_owner = CASE WHEN ? THEN NULL ELSE lease_owner END
                    WHERE id = ? AND lease_owner = ? AND status = 'FANNING_OUT'""",
                    page.last(), page.recipients(), page.notifications().size(), release, ts(now.plus(lease)), ts(notBefore), ts(now),
                    page.finished(), page.finished(), ts(now), release, b.id(), owner);
            if (moved == 0) {
                s.setRollbackOnly();
                return false;
            }
            return true;
        }));
    }

    @Override
    public boolean move(long appId, UUID id, BroadcastStatus from, BroadcastStatus to, Instant now) {
        return jdbc.update("""
                UPDATE broadcasts SET status = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
                WHERE app_id = ? AND id = ? AND status = ?""", to.name(), ts(now), appId, id, from.name()) > 0;
    }

    @Override
    public Optional<Progress> progress(long appId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM broadcasts WHERE app_id = ? AND id = ?", this::broadcast, appId, id)
                .stream().findFirst().map(b -> new Progress(b, b.recipients() >= COUNTS_CACHED_FROM
                        ? recentCounts.get(id, k -> timedCount(appId, id)).byStatus()
                        : countByStatus(appId, id)));
    }

    private Counted timedCount(long appId, UUID id) {
        long start = ticker.read();
        Map<String, Long> byStatus = countByStatus(appId, id);
        return new Counted(byStatus, ticker.read() - start);
    }

    private Map<String, Long> countByStatus(long appId, UUID id) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        jdbc.query("SELECT status, count(*) FROM notifications WHERE broadcast_id = ? AND app_id = ? GROUP BY status ORDER BY status",
                rs -> {
                    byStatus.put(rs.getString(1), rs.getLong(2));
                }, id, appId);
        return java.util.Collections.unmodifiableMap(byStatus);
    }

    @Override
    public Optional<Progress> cancel(long appId, UUID id, Instant now) {
        Boolean known = tx.execute(s -> {
            if (jdbc.queryForList("SELECT 1 FROM broadcasts WHERE app_id = ? AND id = ? FOR UPDATE", appId, id).isEmpty()) return false;
            jdbc.update("""
                    UPDATE broadcasts SET status = 'CANCELLED', finished_at = ?, lease_owner = NULL, updated_at = ?
                    WHERE app_id = ? AND id = ? AND status IN ('FANNING_OUT', 'PAUSED')""", ts(now), ts(now), appId, id);
            // what waits for a later time was not queued yet: it is cancelled too (a leased entry is in flight: left alone)
            jdbc.update(
                    """
                            WITH gone AS (
                                DELETE FROM queue_entries q USING notifications n
                                WHERE n.id = q.notification_id AND n.broadcast_id = ? AND n.app_id = ? AND q.state = 'SCHEDULED'
                                  AND q.lease_owner IS NULL
                                RETURNING q.notification_id),
                            upd AS (
                                UPDATE notifications n SET status = 'CANCELLED', reason = 'CANCELLED', detail = 'the broadcast was cancelled', updated_at = ?
                                FROM gone WHERE n.id = gone.notification_id
                                RETURNING n.id, n.attempts)
                            INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail)
                            SELECT id, 'CANCELLED', ?, attempts, 'CANCELLED', 'the broadcast was cancelled' FROM upd""",
                    id, appId, ts(now), ts(now));
            return true;
        });
        recentCounts.invalidate(id);
        return Boolean.TRUE.equals(known) ? progress(appId, id) : Optional.empty();
    }

    private Broadcast broadcast(ResultSet rs, int i) throws SQLException {
        return new Broadcast(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), BroadcastJson.audience(rs.getString(4)),
                BroadcastJson.send(rs.getString(5)), BroadcastStatus.valueOf(rs.getString(6)), rs.getString(7), rs.getLong(8),
                rs.getLong(9), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)),
                new Schedule(rs.getObject(12, UUID.class), (Integer) rs.getObject(13), instant(rs.getTimestamp(14))));
    }
}
