package io.herald.postgres.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.herald.core.ratelimit.Bucket4jLimits;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Rate-limit buckets in PostgreSQL (table {@code rate_limit_buckets}, migration V3), so every Herald process shares
 * one bucket per key. Each call is one short transaction that locks the bucket's row ({@code SELECT ... FOR UPDATE}),
 * so consumption is atomic across processes. Thread-safe.
 *
 * <p>Rows carry an expiry (the moment the bucket would be full again, plus a margin): call
 * {@link #removeExpired(int)} periodically to delete them; a deleted bucket is identical to a fresh one.
 * Processes should have roughly synchronised clocks (NTP): bucket state is computed on the client's clock.
 */
public final class PostgresRateLimiter implements RateLimiter {

    public static final String TABLE = "rate_limit_buckets";

    private static final String REMOVE_EXPIRED = "DELETE FROM " + TABLE + " WHERE id IN (SELECT id FROM " + TABLE
            + " WHERE expires_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)";

    private final DataSource dataSource;
    private final Clock clock;
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    public PostgresRateLimiter(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    public PostgresRateLimiter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE).idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .clientClock(Bucket4jLimits.timeMeter(clock))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
    }

    @Override
    public Decision acquire(String key, Limit limit, Duration maxWait) {
        // the limit's shape is part of the row id: a changed limit gets a fresh bucket, the old row expires
        return Bucket4jLimits.acquire(buckets.builder().build(key + "|" + limit.id(), () -> Bucket4jLimits.configuration(limit)), maxWait);
    }

    /**
     * Deletes up to {@code batchSize} buckets that are full again (skipping rows other processes have locked).
     *
     * @return how many were deleted; call again while it returns {@code batchSize}
     */
    public int removeExpired(int batchSize) {
        // not bucket4j's removeExpired: it compares with System.currentTimeMillis() while expiry was written with the
        // client clock, so with any other clock (tests, a skewed host) rows would linger or go early
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REMOVE_EXPIRED)) {
            ps.setLong(1, clock.millis());
            ps.setInt(2, batchSize);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove expired rate-limit buckets", e);
        }
    }
}
