package io.herald.postgres.ratelimit;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;
import io.herald.core.ratelimit.RateLimiter.Decision;
import io.herald.testkit.TestPostgres;
import io.herald.testkit.contract.RateLimiterContract;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the machine's real PostgreSQL: the shared limiter contract (sharing, refill, reservations, acquireAll,
 * concurrency) with two limiters over two pools standing for two Herald processes, and the expiry of full buckets.
 */
class PostgresRateLimiterTest extends RateLimiterContract {

    private static final String SCHEMA = TestPostgres.newSchema("ratelimiter");
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;

    @BeforeAll
    static void migrate() {
        Flyway.configure().dataSource(TestPostgres.URL, TestPostgres.USER, null).schemas(SCHEMA)
                .locations("classpath:db/migration").load().migrate();
        poolA = pool("a");
        poolB = pool("b");
    }

    private static HikariDataSource pool(String name) {
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("ratelimit-" + name);
        ds.setJdbcUrl(TestPostgres.urlFor(SCHEMA));
        ds.setUsername(TestPostgres.USER);
        ds.setMaximumPoolSize(4);
        return ds;
    }

    @AfterAll
    static void drop() {
        poolA.close();
        poolB.close();
        TestPostgres.dropSchema(SCHEMA);
    }

    @Override
    protected List<RateLimiter> twoProcesses(Clock clock) {
        return List.of(new PostgresRateLimiter(poolA, clock), new PostgresRateLimiter(poolB, clock));
    }

    @Test
    void acquireAllDecidesEveryBucketInOneCallExactlyAsOneByOne() {
        PostgresRateLimiter processA = new PostgresRateLimiter(poolA, clock);
        PostgresRateLimiter processB = new PostgresRateLimiter(poolB, clock);
        Limit twoPerHour = Limit.perHour(2);
        Duration wait = Duration.ofHours(1);
        String a = "app:1:user:batch-a:ch:EMAIL:cat:transactional";
        String b = "app:1:user:batch-b:ch:EMAIL:cat:transactional";
        String c = "app:1:user:batch-c:ch:EMAIL:cat:transactional";
        processA.tryConsume(c, twoPerHour); // c starts with one token left, a and b with none used
        List<RateLimiter.Request> asks = List.of(new RateLimiter.Request(a, twoPerHour, wait), new RateLimiter.Request(b, twoPerHour, wait),
                new RateLimiter.Request(a, twoPerHour, wait), new RateLimiter.Request(c, twoPerHour, wait),
                new RateLimiter.Request(a, twoPerHour, wait), new RateLimiter.Request(a, twoPerHour, wait),
                new RateLimiter.Request(a, twoPerHour, wait), new RateLimiter.Request(c, twoPerHour, wait));

        List<Decision> together = processA.acquireAll(asks);

        // the same asks one by one on fresh keys of the same shape, from the same starting state, decide the same
        String a2 = a + "-seq", b2 = b + "-seq", c2 = c + "-seq";
        processB.tryConsume(c2, twoPerHour);
        List<Decision> oneByOne = new ArrayList<>();
        for (RateLimiter.Request r : asks) oneByOne.add(processB.acquire(r.key() + "-seq", r.limit(), r.maxWait()));
        assertThat(together).isEqualTo(oneByOne);
        assertThat(together).containsExactly(Decision.CONSUMED, Decision.CONSUMED, Decision.CONSUMED, Decision.CONSUMED,
                Decision.reserved(Duration.ofMinutes(30)), Decision.reserved(Duration.ofMinutes(60)),
                Decision.rejected(Duration.ofMinutes(30)), Decision.reserved(Duration.ofMinutes(30)));
        // and the buckets are left in the same state: the next token of each is due at the same time
        for (String k : List.of(a, b, c)) {
            assertThat(processA.acquire(k, twoPerHour, wait)).isEqualTo(processB.acquire(k + "-seq", twoPerHour, wait));
        }
    }

    @Test
    void groupsSharingBucketsInOppositeOrdersNeverDeadlock() throws Exception {
        // two processes ask for the same buckets at once, one group listing them forwards, the other backwards: before
        // the statement locked in id order, PostgreSQL broke the cycle by failing one (an HTTP 500 at the API)
        List<RateLimiter.Request> forwards = new ArrayList<>();
        for (int i = 0; i < 40; i++)
            forwards.add(new RateLimiter.Request("app:1:user:order-" + i + ":ch:EMAIL:cat:transactional",
                    Limit.perHour(1_000_000), Duration.ZERO));
        List<RateLimiter.Request> backwards = new ArrayList<>(forwards);
        java.util.Collections.reverse(backwards);
        var start = new java.util.concurrent.CountDownLatch(1);
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                PostgresRateLimiter limiter = new PostgresRateLimiter(t % 2 == 0 ? poolA : poolB, clock);
                List<RateLimiter.Request> asks = t % 2 == 0 ? forwards : backwards;
                runs.add(threads.submit(() -> {
                    start.await();
                    int consumed = 0;
                    for (int round = 0; round < 100; round++) {
                        for (Decision d : limiter.acquireAll(asks)) if (d.equals(Decision.CONSUMED)) consumed++;
                    }
                    return consumed;
                }));
            }
            start.countDown();
            for (var run : runs) assertThat(run.get()).isEqualTo(100 * 40);
        }
    }

    @Test
    void aBucketsExpiryIsAWholeMinuteAtLeastAMinuteAfterItIsFullAgainAndStaysPutWithinTheMinute() throws Exception {
        PostgresRateLimiter limiter = new PostgresRateLimiter(poolA, clock);
        String key = "app:1:user:expiry:ch:EMAIL:cat:social";
        String expiry = "SELECT expires_at FROM rate_limit_buckets WHERE id LIKE 'app:1:user:expiry:%'";
        clock.advance(Duration.ofSeconds(12)); // not on a minute
        limiter.tryConsume(key, Limit.perMinute(10)); // full again 6 s later (one token at 10 per minute)
        long first = rows(expiry);
        long fullAgain = clock.millis() + 6_000;
        assertThat(first % 60_000).isZero();
        assertThat(first).isBetween(fullAgain + 60_000, fullAgain + 120_000);

        clock.advance(Duration.ofSeconds(1));
        limiter.acquireAll(List.of(new RateLimiter.Request(key, Limit.perMinute(10), Duration.ZERO)));
        assertThat(rows(expiry)).isEqualTo(first); // full again at +11 s: the same minute, no indexed column changed

        for (int i = 0; i < 8; i++) limiter.tryConsume(key, Limit.perMinute(10)); // full again a minute later
        assertThat(rows(expiry)).isGreaterThan(first).matches(e -> e % 60_000 == 0);
    }

    @Test
    void bucketsThatAreFullAgainExpireAndCanBeRemoved() throws Exception {
        new PostgresRateLimiter(poolA, clock).tryConsume("app:1:user:gone:ch:EMAIL:cat:social", Limit.perMinute(10));
        long before = rows("SELECT count(*) FROM rate_limit_buckets WHERE id LIKE 'app:1:user:gone:%'");

        clock.advance(Duration.ofDays(2));
        int removed = new PostgresRateLimiter(poolB, clock).removeExpired(1000);

        assertThat(before).isEqualTo(1);
        assertThat(removed).isGreaterThanOrEqualTo(1);
        assertThat(rows("SELECT count(*) FROM rate_limit_buckets WHERE id LIKE 'app:1:user:gone:%'")).isZero();
    }

    private static long rows(String sql) throws Exception {
        try (Connection c = poolA.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
