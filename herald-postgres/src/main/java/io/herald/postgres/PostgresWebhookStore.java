package io.herald.postgres;

import io.herald.core.engagement.WebhookStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Status-webhook subscriptions and their outbox of deliveries (filled by {@link PostgresEngagementAggregator}). */
public final class PostgresWebhookStore implements WebhookStore {

    // Subscription, Claimed (leased until next_attempt_at) and Counts are WebhookStore's records

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresWebhookStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public void create(long appId, UUID id, String url, List<String> events, String secret, Instant now) {
        jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "INSERT INTO webhook_subscriptions (id, app_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)");
            ps.setObject(1, id);
            ps.setLong(2, appId);
            ps.setString(3, url);
            ps.setArray(4, con.createArrayOf("text", events.toArray()));
            ps.setString(5, secret);
            ps.setTimestamp(6, ts(now));
            return ps;
        });
    }

    private static final String SUBSCRIPTION = """
            SELECT id, url, events, enabled, disabled_reason, created_at, disabled_at FROM webhook_subscriptions
            WHERE app_id = ? AND deleted_at IS NULL""";

    @Override
    public List<Subscription> list(long appId) {
        return jdbc.query(SUBSCRIPTION + " ORDER BY created_at, id", (rs, i) -> subscription(rs), appId);
    }

    @Override
    public Optional<Subscription> get(long appId, UUID id) {
        return jdbc.query(SUBSCRIPTION + " AND id = ?", (rs, i) -> subscription(rs), appId, id).stream().findFirst();
    }

    private static Subscription subscription(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Subscription(rs.getObject(1, UUID.class), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
                rs.getBoolean(4), rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)));
    }

    @Override
    public Counts counts(UUID id) {
        return jdbc.queryForObject("""
                SELECT count(*) FILTER (WHERE status = 'PENDING'), count(*) FILTER (WHERE status = 'DELIVERED'),
                       count(*) FILTER (WHERE status = 'FAILED') FROM webhook_deliveries WHERE subscription_id = ?""",
                (rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)), id);
    }

    /** Stops deliveries at once; the rows stay for the trace until the subscription is purged. */
    @Override
    public boolean delete(long appId, UUID id, Instant now) {
        return tx.execute(s -> {
            int n = jdbc.update(
                    "UPDATE webhook_subscriptions SET deleted_at = ?, enabled = FALSE WHERE app_id = ? AND id = ? AND deleted_at IS NULL",
                    ts(now), appId, id);
            if (n > 0)
                jdbc.update("UPDATE webhook_deliveries SET status = 'CANCELLED' WHERE subscription_id = ? AND status = 'PENDING'", id);
            return n > 0;
        });
    }

    /**
     * Sends again: the failed deliveries, or with {@code since} every delivery created from then on; re-enables the
     * subscription.
     *
     * @return how many deliveries were queued again
     */
    @Override
    public int replay(long appId, UUID id, Instant since, Instant now) {
        Integer n = tx.execute(s -> {
            int found = jdbc.update("""
                    UPDATE webhook_subscriptions SET enabled = TRUE, disabled_reason = NULL, disabled_at = NULL
                    WHERE app_id = ? AND id = ? AND deleted_at IS NULL""", appId, id);
            if (found == 0) return -1;
            return since == null
                    ? jdbc.update("""
                            UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = ?, last_error = NULL
                            WHERE subscription_id = ? AND status = 'FAILED'""", ts(now), id)
                    : jdbc.update("""
                            UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = ?, last_error = NULL
                            WHERE subscription_id = ? AND created_at >= ? AND status IN ('FAILED', 'DELIVERED')""", ts(now), id, ts(since));
        });
        return n == null ? -1 : n;
    }

    /** Leases up to {@code limit} due deliveries of enabled subscriptions; a sender that dies gives them back when the lease ends. */
    @Override
    public List<Claimed> claim(int limit, Instant now, Duration lease) {
        return jdbc.query("""
                UPDATE webhook_deliveries d SET next_attempt_at = ?, attempts = d.attempts + 1
                FROM webhook_subscriptions s
                WHERE s.id = d.subscription_id AND d.id IN (
                    SELECT d2.id FROM webhook_deliveries d2 JOIN webhook_subscriptions s2 ON s2.id = d2.subscription_id
                    WHERE d2.status = 'PENDING' AND d2.next_attempt_at <= ? AND s2.enabled
                    ORDER BY d2.next_attempt_at LIMIT ? FOR UPDATE OF d2 SKIP LOCKED)
                RETURNING d.id, d.subscription_id, s.url, s.secret, d.payload, d.attempts, d.created_at""",
                (rs, i) -> new Claimed(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), instant(rs.getTimestamp(7))),
                ts(now.plus(lease)), ts(now), limit);
    }

    @Override
    public void delivered(String id, int status, Instant now) {
        jdbc.update("UPDATE webhook_deliveries SET status = 'DELIVERED', last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
                status, ts(now), id);
    }

    /** @param retryAt null when no retry is left: the delivery has failed for good */
    @Override
    public void failed(String id, Integer status, String error, Instant retryAt) {
        String clipped = error == null ? null : error.substring(0, Math.min(error.length(), 500));
        if (retryAt != null) {
            jdbc.update("UPDATE webhook_deliveries SET last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                    status, clipped, ts(retryAt), id);
        } else {
            jdbc.update("UPDATE webhook_deliveries SET status = 'FAILED', last_status = ?, last_error = ? WHERE id = ?", status, clipped,
                    id);
        }
    }

    /**
     * Disables a subscription whose delivery just failed for good when nothing reached it since that delivery was
     * created: the endpoint has been failing for the whole retry schedule.
     *
     * @return the subscription's app when this call disabled it
     */
    @Override
    public Optional<Long> disableIfDead(UUID subscriptionId, Instant failingSince, String reason, Instant now) {
        return jdbc.queryForList("""
                UPDATE webhook_subscriptions s SET enabled = FALSE, disabled_reason = ?, disabled_at = ?
                WHERE s.id = ? AND s.enabled AND NOT EXISTS (
                    SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'DELIVERED' AND d.delivered_at >= ?)
                RETURNING s.app_id""", Long.class, reason, ts(now), subscriptionId, ts(failingSince)).stream().findFirst();
    }

    /** Deletes delivered and cancelled messages created before {@code before}. @return how many */
    @Override
    public int purge(Instant before) {
        return jdbc.update("DELETE FROM webhook_deliveries WHERE status IN ('DELIVERED', 'CANCELLED') AND created_at < ?", ts(before));
    }
}
