package io.herald.postgres.ratelimit;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;
import io.herald.core.ratelimit.RateLimiter.Decision;
import io.herald.testkit.SettableClock;
import io.herald.testkit.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the machine's real PostgreSQL: two limiters over two pools stand for two Herald processes. */
class PostgresRateLimiterTest {

    private static final String SCHEMA = TestPostgres.newSchema("ratelimiter");
    private static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;
    private static PostgresRateLimiter processA;
    private static PostgresRateLimiter processB;

    @BeforeAll
    static void migrate() {
        Flyway.configure().dataSource(TestPostgres.URL, TestPostgres.USER, null).schemas(SCHEMA)
                .locations("classpath:db/migration").load().migrate();
        poolA = pool("a");
        poolB = pool("b");
        processA = new PostgresRateLimiter(poolA, CLOCK);
        processB = new PostgresRateLimiter(poolB, CLOCK);
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

    @Test
    void twoProcessesShareOneBucketAndNeverExceedItsCapacityUnderConcurrency() throws Exception {
        Limit fiftyPerDay = Limit.perDay(50);
        int threadsPerProcess = 6;
        int attemptsPerThread = 20; // 240 attempts on 50 tokens
        ExecutorService pool = Executors.newFixedThreadPool(threadsPerProcess * 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threadsPerProcess * 2; t++) {
                PostgresRateLimiter limiter = t % 2 == 0 ? processA : processB;
                Callable<int[]> worker = () -> {
                    start.await();
                    int consumed = 0;
                    int rejected = 0;
                    for (int i = 0; i < attemptsPerThread; i++) {
                        if (limiter.tryConsume("app:1:user:u-42:ch:PUSH:cat:marketing", fiftyPerDay).granted()) consumed++;
                        else rejected++;
                    }
                    return new int[]{consumed, rejected};
                };
                results.add(pool.submit(worker));
            }
            start.countDown();
            int consumedByA = 0;
            int consumed = 0;
            int rejected = 0;
            for (int t = 0; t < results.size(); t++) {
                int[] r = results.get(t).get(60, TimeUnit.SECONDS);
                consumed += r[0];
                rejected += r[1];
                if (t % 2 == 0) consumedByA += r[0];
            }

            assertThat(consumed).isEqualTo(50);
            assertThat(rejected).isEqualTo(threadsPerProcess * 2 * attemptsPerThread - 50);
            assertThat(consumedByA).isBetween(1, 49); // both processes really took part
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows("SELECT count(*) FROM rate_limit_buckets WHERE id LIKE 'app:1:user:u-42:%'")).isEqualTo(1);
    }

    @Test
    void refillAndReservationsAreSharedAcrossProcesses() {
        Limit twoPerHour = Limit.perHour(2);
        String key = "app:1:user:u-7:ch:SMS:cat:transactional";

        assertThat(processA.tryConsume(key, twoPerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(processB.tryConsume(key, twoPerHour)).isEqualTo(Decision.CONSUMED);
        Decision empty = processA.tryConsume(key, twoPerHour);
        assertThat(empty.outcome()).isEqualTo(Decision.Outcome.REJECTED);
        assertThat(empty.delay()).isEqualTo(Duration.ofMinutes(30));

        assertThat(processB.acquire(key, twoPerHour, Duration.ofHours(1))).isEqualTo(Decision.reserved(Duration.ofMinutes(30)));
        assertThat(processA.acquire(key, twoPerHour, Duration.ofHours(1))).isEqualTo(Decision.reserved(Duration.ofMinutes(60)));
        assertThat(processB.acquire(key, twoPerHour, Duration.ofHours(1)).outcome()).isEqualTo(Decision.Outcome.REJECTED);

        CLOCK.advance(Duration.ofMinutes(90)); // pays the two reservations back and refills one token
        assertThat(processB.tryConsume(key, twoPerHour)).isEqualTo(Decision.CONSUMED);
        assertThat(processA.tryConsume(key, twoPerHour).granted()).isFalse();
    }

    @Test
    void acquireAllDecidesEveryBucketInOneCallExactlyAsOneByOne() {
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
    void bucketsThatAreFullAgainExpireAndCanBeRemoved() throws Exception {
        processA.tryConsume("app:1:user:gone:ch:EMAIL:cat:social", Limit.perMinute(10));
        long before = rows("SELECT count(*) FROM rate_limit_buckets WHERE id LIKE 'app:1:user:gone:%'");

        CLOCK.advance(Duration.ofDays(2));
        int removed = processB.removeExpired(1000);

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
