package io.herald.server.wiring;

import io.herald.postgres.HeraldDatabase;
import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database main starts beside the context: the bean gets that one, and nothing stays open when no bean took it. */
class EarlyDatabaseTest {

    private final String schema = TestPostgres.newSchema("early");
    private final SpringApplication app = new SpringApplication(EarlyDatabaseTest.class);
    private final GenericApplicationContext context = new GenericApplicationContext();

    @TempDir
    Path dataDir;

    @AfterEach
    void dropSchema() {
        context.close();
        TestPostgres.dropSchema(schema);
    }

    @Test
    void theBeanTakesTheDatabaseStartedForItsSettingsMigratedAndOpen() {
        StandardEnvironment env = environment(TestPostgres.URL);
        EarlyDatabase early = startEarly(env);

        HeraldDatabase db = early.take(settings(env));

        assertThat(db).isNotNull();
        assertThat(new JdbcTemplate(db.dataSource()).queryForObject("select count(*) from " + schema + ".flyway_schema_history "
                + "where success", Integer.class)).isPositive();
        early.destroy(); // the bean owns it now: the context's end does not close it under the bean
        assertThat(new JdbcTemplate(db.dataSource()).queryForObject("select 1", Integer.class)).isEqualTo(1);
        db.close();
    }

    @Test
    void otherSettingsGetNothingAndTheEarlyDatabaseIsClosed() {
        StandardEnvironment env = environment(TestPostgres.URL);
        EarlyDatabase early = startEarly(env);
        HeraldDatabase started = early.started().join();

        var other = settings(env);
        var wanted = new HeraldDatabase.Settings(other.url(), other.username(), other.password(), other.schema(), other.dataDir(),
                other.poolSize() + 1, other.embeddedPort(), other.connectionTimeout());

        assertThat(early.take(wanted)).isNull();
        assertThatThrownBy(() -> started.dataSource().getConnection()).hasMessageContaining("closed");
    }

    @Test
    void aFailedStartClosesTheDatabaseNoBeanTook() {
        StandardEnvironment env = environment(TestPostgres.URL);
        EarlyDatabase early = startEarly(env);
        HeraldDatabase started = early.started().join();

        publish(new ApplicationFailedEvent(app, new String[0], context, new IllegalStateException("a bean failed")));

        assertThatThrownBy(() -> started.dataSource().getConnection()).hasMessageContaining("closed");
        assertThat(early.take(settings(env))).as("nothing left to take").isNull();
    }

    @Test
    void theBeanSeesTheErrorOfAStartThatFailed() {
        StandardEnvironment env = environment("jdbc:postgresql://127.0.0.1:1/none");
        EarlyDatabase early = startEarly(env);

        assertThatThrownBy(() -> early.take(settings(env))).isInstanceOf(RuntimeException.class)
                .isNotInstanceOf(java.util.concurrent.CompletionException.class);
    }

    private ApplicationListener<SpringApplicationEvent> listener;

    private EarlyDatabase startEarly(StandardEnvironment env) {
        listener = EarlyDatabase.listener();
        publish(new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), app, new String[0], env));
        publish(new ApplicationContextInitializedEvent(app, new String[0], context));
        return context.getBeanFactory().getBean(EarlyDatabase.BEAN_NAME, EarlyDatabase.class);
    }

    private void publish(SpringApplicationEvent event) {
        listener.onApplicationEvent(event);
    }

    private StandardEnvironment environment(String url) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", Map.of("herald.db.url", url, "herald.db.username",
                TestPostgres.USER, "herald.db.schema", schema, "herald.db.pool-size", "2", "herald.db.connection-timeout", "2s",
                "herald.data-dir", dataDir.toString())));
        return env;
    }

    private static HeraldDatabase.Settings settings(StandardEnvironment env) {
        var binder = org.springframework.boot.context.properties.bind.Binder.get(env);
        return HeraldConfiguration.databaseSettings(binder.bindOrCreate("herald.db", io.herald.server.config.DatabaseProperties.class),
                binder.bindOrCreate("herald", io.herald.server.config.NodeProperties.class), env);
    }
}
