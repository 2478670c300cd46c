package io.herald.postgres;

import io.herald.testkit.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A migrated schema of its own on the machine's PostgreSQL, with the stores over it. */
final class PostgresFixture implements AutoCloseable {

    final String schema;
    final HeraldDatabase db;
    final JdbcTemplate jdbc;
    final TransactionTemplate tx;
    final PostgresNotificationStore notifications;
    final PostgresDeliveryQueue queue;
    final PostgresUserStore users;
    final PostgresAppStore apps;
    final NotificationQueries queries;
    final long appId;

    PostgresFixture(String hint) {
        schema = TestPostgres.newSchema(hint);
        db = HeraldDatabase.start(new HeraldDatabase.Settings(TestPostgres.URL, TestPostgres.USER, null, schema, null, 8, 0,
                Duration.ofSeconds(5)));
        jdbc = new JdbcTemplate(db.dataSource());
        tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
        notifications = new PostgresNotificationStore(jdbc, tx);
        queue = new PostgresDeliveryQueue(jdbc, tx);
        users = new PostgresUserStore(jdbc, tx);
        apps = new PostgresAppStore(jdbc);
        queries = new NotificationQueries(jdbc, tx);
        appId = apps.create("app-" + schema, "hash", "test app", List.of(), Instant.now()).orElseThrow();
    }

    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    @Override
    public void close() {
        db.close();
        TestPostgres.dropSchema(schema);
    }
}
