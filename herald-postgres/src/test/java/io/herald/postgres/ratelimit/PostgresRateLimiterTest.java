package io.herald.postgres.ratelimit;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;
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
