package io.herald.postgres.ratelimit;

import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Token buckets shared by every Herald process through PostgreSQL (table {@code rate_limit_buckets}). One call is
 * ONE statement: an upsert that refills the bucket greedily for the time elapsed, takes a token if the result
 * stays above the allowed floor, and returns what is left. Row-level atomicity of {@code INSERT ... ON CONFLICT
 * DO UPDATE} makes it exact across processes without an explicit transaction or lock round trips; the earlier
 * bucket4j engine needed four round trips per call and halved intake throughput (docs/benchmarks.md).
 *
 * <p>Reservations (DEFER) let the bucket go into debt down to {@code -maxWait * rate}: the caller gets the delay
 * after which its token is due. Bucket state is computed on the caller's clock; processes should run NTP.
 * Thread-safe. Call {@link #removeExpired(int)} periodically to delete buckets that are full again.
 */
public final class PostgresRateLimiter implements RateLimiter {

    public static final String TABLE = "rate_limit_buckets";

    // refilled = min(capacity, tokens + elapsed * rate); taken when refilled - 1 >= floor
    private static final String TAKE = """
            INSERT INTO rate_limit_buckets AS b (id, capacity, rate, tokens, updated_ms, expires_at)
            VALUES (?, ?, ?, ? - 1, ?, ? + ceil(1 / ?)::bigint + 60000)
            ON CONFLICT (id) DO UPDATE SET
                tokens = LEAST(EXCLUDED.capacity, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) * EXCLUDED.rate) - 1,
                updated_ms = GREATEST(b.updated_ms, EXCLUDED.updated_ms),
                expires_at = EXCLUDED.updated_ms + 60000 + ceil((EXCLUDED.capacity
                    - (LEAST(EXCLUDED.capacity, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) * EXCLUDED.rate) - 1))
                    / EXCLUDED.rate)::bigint
            WHERE LEAST(EXCLUDED.capacity, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) * EXCLUDED.rate) - 1 >= ?
            RETURNING tokens""";
    private static final String PEEK = "SELECT tokens, updated_ms FROM rate_limit_buckets WHERE id = ?";
    private static final String REMOVE_EXPIRED = "DELETE FROM " + TABLE + " WHERE id IN (SELECT id FROM " + TABLE
            + " WHERE expires_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)";
    private static final double EPSILON = 1e-9;

    private final DataSource dataSource;
    private final Clock clock;

    public PostgresRateLimiter(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    public PostgresRateLimiter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public Decision acquire(String key, Limit limit, Duration maxWait) {
        // the limit's shape is part of the row id: a changed limit gets a fresh bucket, the old row expires
        String id = key + "|" + limit.id();
        double capacity = limit.capacity();
        double rate = (double) limit.refillTokens() / limit.refillPeriod().toMillis();
        double floor = -(maxWait.toMillis() * rate) - EPSILON;
        long now = clock.millis();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(TAKE)) {
                ps.setString(1, id);
                ps.setDouble(2, capacity);
                ps.setDouble(3, rate);
                ps.setDouble(4, capacity);
                ps.setLong(5, now);
                ps.setLong(6, now);
                ps.setDouble(7, rate);
                ps.setDouble(8, floor);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        double left = rs.getDouble(1);
                        return left >= -EPSILON ? Decision.CONSUMED : Decision.reserved(millis(-left / rate));
                    }
                }
            }
            // refused: say when a token will be there for this caller
            try (PreparedStatement ps = c.prepareStatement(PEEK)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Decision.rejected(millis(1 / rate)); // deleted meanwhile: due at once, roughly
                    double available = Math.min(capacity, rs.getDouble(1) + Math.max(0, now - rs.getLong(2)) * rate);
                    return Decision.rejected(millis((1 + (floor + EPSILON) - available) / rate));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rate-limit bucket " + key + " unavailable: " + e.getMessage(), e);
        }
    }

    private static Duration millis(double ms) {
        return Duration.ofMillis(Math.max(0, Math.round(ms)));
    }

    /**
     * Deletes up to {@code batchSize} buckets that are full again (skipping rows other processes have locked).
     *
     * @return how many were deleted; call again while it returns {@code batchSize}
     */
    public int removeExpired(int batchSize) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REMOVE_EXPIRED)) {
            ps.setLong(1, clock.millis());
            ps.setInt(2, batchSize);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove expired rate-limit buckets", e);
        }
    }
}
