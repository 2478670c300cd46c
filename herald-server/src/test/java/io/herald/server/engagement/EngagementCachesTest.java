package io.herald.server.engagement;

import io.herald.core.cache.LocalInvalidationBus;
import io.herald.postgres.PostgresEngagementStore;
import io.herald.testkit.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Another node's change to the suppression list drops this node's cached answers at once, not after the expiry. */
class EngagementCachesTest {

    private static final String SCHEMA = TestPostgres.newSchema("engagementcaches");
    private static SingleConnectionDataSource db;

    @BeforeAll
    static void migrate() {
        Flyway.configure().dataSource(TestPostgres.URL, TestPostgres.USER, null).schemas(SCHEMA)
                .locations("classpath:db/migration").load().migrate();
        db = new SingleConnectionDataSource(TestPostgres.urlFor(SCHEMA), TestPostgres.USER, "", true);
    }

    @AfterAll
    static void drop() {
        db.destroy();
        TestPostgres.dropSchema(SCHEMA);
    }

    @Test
    void aSuppressionAddedByAnotherNodeIsHonouredHereAtOnce() {
        var store = new PostgresEngagementStore(new JdbcTemplate(db), new TransactionTemplate(new DataSourceTransactionManager(db)));
        LocalInvalidationBus bus = new LocalInvalidationBus(); // stands for Redis between the two nodes
        EngagementCaches here = new EngagementCaches(store, Duration.ofMinutes(5));
        EngagementCaches there = new EngagementCaches(store, Duration.ofMinutes(5));
        here.shareInvalidations(bus);
        there.shareInvalidations(bus);
        assertThat(here.suppressions().isSuppressed(7, "ada@example.com")).isFalse();

        store.suppress(7, "ada@example.com", "BOUNCE", "test", null, Instant.now()); // written by "there"
        assertThat(here.suppressions().isSuppressed(7, "ada@example.com")).as("cached for 5 minutes").isFalse();
        there.suppressionsChanged();

        assertThat(here.suppressions().isSuppressed(7, "ada@example.com")).isTrue();
    }
}
