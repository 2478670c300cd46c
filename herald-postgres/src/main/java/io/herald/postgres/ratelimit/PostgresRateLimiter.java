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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * A bucket's expiry: at least a minute after it is full again (the millisecond {@code fullAgain}), rounded up to a
     * whole minute. Only the expiry sweep reads it, so a later deletion changes nothing; a value that moves once a
     * minute instead of with every token lets most updates of a busy bucket leave both indexes alone (HOT, V27).
     */
    private static String wholeMinute(String fullAgain) {
        return "((" + fullAgain + ") / 60000 + 2) * 60000";
    }

    // refilled = min(capacity, tokens + elapsed * rate); taken when refilled - 1 >= floor
    private static final String TAKE = """
            INSERT INTO rate_limit_buckets AS b (id, capacity, rate, tokens, updated_ms, expires_at)
            VALUES (?, ?, ?, ? - 1, ?, %1$s)
            ON CONFLICT (id) DO UPDATE SET
                tokens = LEAST(EXCLUDED.capacity, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) * EXCLUDED.rate) - 1,
                updated_ms = GREATEST(b.updated_ms, EXCLUDED.updated_ms),
                expires_at = %2$s
            WHERE LEAST(EXCLUDED.capacity, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) * EXCLUDED.rate) - 1 >= ?
            RETURNING tokens""".formatted(wholeMinute("? + ceil(1 / ?)::bigint"), wholeMinute("""
            EXCLUDED.updated_ms + ceil((EXCLUDED.capacity
                - (LEAST(EXCLUDED.capacity, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) * EXCLUDED.rate) - 1))
                / EXCLUDED.rate)::bigint"""));
    // the same for many buckets at once: k asks on one bucket take g = min(k, floor(refilled - floor)) tokens, in order
    private static final String REFILLED = "LEAST(EXCLUDED.capacity, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) * EXCLUDED.rate)";
    private static final String GRANTED = "LEAST(EXCLUDED.asked, GREATEST(0, floor(" + REFILLED + " - EXCLUDED.ask_floor)))::int";
    private static final String TAKE_ALL = """
            INSERT INTO rate_limit_buckets AS b (id, capacity, rate, tokens, updated_ms, expires_at, asked, ask_floor, granted)
            SELECT id, cap, rate, cap - g, ?, %3$s, k, fl, g
            FROM (SELECT id, cap, rate, k, fl, LEAST(k, GREATEST(0, floor(cap - fl)))::int AS g
                  FROM unnest(?::text[], ?::float8[], ?::float8[], ?::int[], ?::float8[]) AS t(id, cap, rate, k, fl)) x
            ORDER BY id
            ON CONFLICT (id) DO UPDATE SET
                granted = %2$s,
                tokens = %1$s - %2$s,
                updated_ms = GREATEST(b.updated_ms, EXCLUDED.updated_ms),
                expires_at = %4$s,
                asked = EXCLUDED.asked, ask_floor = EXCLUDED.ask_floor
            RETURNING id, tokens, granted""".formatted(REFILLED, GRANTED, wholeMinute("? + ceil(g / rate)::bigint"),
            wholeMinute("EXCLUDED.updated_ms + ceil((EXCLUDED.capacity - (" + REFILLED + " - " + GRANTED + ")) / EXCLUDED.rate)::bigint"));
    private static final String PEEK = "SELECT tokens, updated_ms FROM rate_limit_buckets WHERE id = ?";
    private static final String REMOVE_EXPIRED = "DELETE FROM " + TABLE + " WHERE id = ANY(ARRAY(SELECT id FROM " + TABLE
            + " WHERE expires_at < ? LIMIT ? FOR UPDATE SKIP LOCKED))";
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
        double rate = rate(limit);
        double floor = floor(limit, maxWait);
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

    /**
     * ONE statement for all the buckets (a batch, a fan-out page): the requests are grouped by bucket in Java, each
     * bucket's row takes as many tokens as its group may have, in list order. A bucket asked with two different waits
     * in one call (not something Herald does) falls back to one statement per request for that bucket.
     */
    @Override
    public List<Decision> acquireAll(List<Request> requests) {
        if (requests.size() <= 1) return RateLimiter.super.acquireAll(requests);
        Map<String, Bucket> buckets = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            Bucket b = buckets.computeIfAbsent(r.key() + "|" + r.limit().id(), id -> new Bucket(id, r));
            if (b.floor != floor(r.limit(), r.maxWait())) b.mixed = true;
            b.slots.add(i);
        }
        Decision[] decisions = new Decision[requests.size()];
        // every statement locks its buckets in id order (ORDER BY id in TAKE_ALL): two groups sharing buckets in
        // different orders deadlocked under load (437 HTTP 500s at a steady 1,000/s)
        List<Bucket> together = buckets.values().stream().filter(b -> !b.mixed).toList();
        if (!together.isEmpty()) takeAll(together, decisions);
        for (Bucket b : buckets.values()) {
            if (!b.mixed) continue;
            for (int i : b.slots) decisions[i] = acquire(requests.get(i).key(), requests.get(i).limit(), requests.get(i).maxWait());
        }
        return List.of(decisions);
    }

    private void takeAll(List<Bucket> buckets, Decision[] decisions) {
        int n = buckets.size();
        String[] ids = new String[n];
        Double[] caps = new Double[n], rates = new Double[n], floors = new Double[n];
        Integer[] asked = new Integer[n];
        Map<String, Bucket> byId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Bucket b = buckets.get(i);
            ids[i] = b.id;
            caps[i] = b.capacity;
            rates[i] = b.rate;
            asked[i] = b.slots.size();
            floors[i] = b.floor;
            byId.put(b.id, b);
        }
        long now = clock.millis();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TAKE_ALL)) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setArray(3, c.createArrayOf("text", ids));
            ps.setArray(4, c.createArrayOf("float8", caps));
            ps.setArray(5, c.createArrayOf("float8", rates));
            ps.setArray(6, c.createArrayOf("int4", asked));
            ps.setArray(7, c.createArrayOf("float8", floors));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Bucket b = byId.get(rs.getString(1));
                    double left = rs.getDouble(2);
                    int granted = rs.getInt(3);
                    double refilled = left + granted;
                    for (int j = 1; j <= b.slots.size(); j++) {
                        double after = refilled - j;
                        decisions[b.slots.get(j - 1)] = j > granted
                                ? Decision.rejected(millis((1 + (b.floor + EPSILON) - left) / b.rate))
                                : after >= -EPSILON ? Decision.CONSUMED : Decision.reserved(millis(-after / b.rate));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rate-limit buckets unavailable: " + e.getMessage(), e);
        }
    }

    /** The requests of one bucket in one call, in list order. */
    private static final class Bucket {
        final String id;
        final double capacity;
        final double rate;
        final double floor;
        final List<Integer> slots = new ArrayList<>();
        boolean mixed;

        Bucket(String id, Request first) {
            this.id = id;
            this.capacity = first.limit().capacity();
            this.rate = rate(first.limit());
            this.floor = PostgresRateLimiter.floor(first.limit(), first.maxWait());
        }
    }

    private static double rate(Limit limit) {
        return (double) limit.refillTokens() / limit.refillPeriod().toMillis();
    }

    private static double floor(Limit limit, Duration maxWait) {
        return -(maxWait.toMillis() * rate(limit)) - EPSILON;
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
