package io.herald.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.herald.postgres.embedded.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Herald's database: an external PostgreSQL when a URL is configured, else an embedded PostgreSQL whose files live
 * in the data directory and survive restarts (zero setup, same dialect as production). Migrations run at start.
 */
public final class HeraldDatabase implements AutoCloseable {

    /**
     * @param url      JDBC URL of an external PostgreSQL; null or blank for the embedded one
     * @param schema   schema to use and create (null: the connection's default, usually public)
     * @param dataDir  where the embedded server keeps its files (dataDir/postgres)
     * @param embeddedPort 0 to pick a free port
     */
    public record Settings(String url, String username, String password, String schema, Path dataDir, int poolSize,
                           int embeddedPort, Duration connectionTimeout, String embeddedSharedBuffers) {
        private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]*(kB|MB|GB|TB)");

        public Settings {
            if (embeddedSharedBuffers == null || embeddedSharedBuffers.isBlank()) {
                embeddedSharedBuffers = EmbeddedPostgresServer.SHARED_BUFFERS;
            } else if (!MEMORY.matcher(embeddedSharedBuffers).matches()) {
                throw new IllegalArgumentException("herald.db.embedded-shared-buffers must be a PostgreSQL memory size such "
                        + "as 512MB or 4GB, not '" + embeddedSharedBuffers + "'");
            }
        }

        /** With the embedded engine's default {@code shared_buffers}. */
        public Settings(String url, String username, String password, String schema, Path dataDir, int poolSize,
                        int embeddedPort, Duration connectionTimeout) {
            this(url, username, password, schema, dataDir, poolSize, embeddedPort, connectionTimeout, null);
        }

        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    private final EmbeddedPostgresServer embedded;
    private final HikariDataSource dataSource;
    private final HikariDataSource relaxedDataSource;

    private HeraldDatabase(EmbeddedPostgresServer embedded, HikariDataSource dataSource, HikariDataSource relaxedDataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.relaxedDataSource = relaxedDataSource;
    }

    public static HeraldDatabase start(Settings s) {
        EmbeddedPostgresServer pg = null;
        String url = s.url();
        String user = s.username();
        String password = s.password();
        if (s.embedded()) {
            pg = EmbeddedPostgresServer.start(s.dataDir(), s.embeddedPort(), s.embeddedSharedBuffers());
            url = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres";
            user = "postgres";
            password = null;
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        hc.setMaximumPoolSize(s.poolSize());
        hc.setPoolName("herald");
        hc.setConnectionTimeout(s.connectionTimeout().toMillis());
        // start even when the database is down: readiness reports it and the pool reconnects when it is back
        hc.setInitializationFailTimeout(-1);
        if (s.schema() != null && !s.schema().isBlank()) hc.setSchema(s.schema());
        HikariDataSource ds = new HikariDataSource(hc);
        HikariConfig relaxed = new HikariConfig();
        hc.copyStateTo(relaxed);
        relaxed.setPoolName("herald-relaxed");
        relaxed.setMaximumPoolSize(Math.max(2, s.poolSize() / 4));
        relaxed.setConnectionInitSql("SET synchronous_commit = off");
        HeraldDatabase db = new HeraldDatabase(pg, ds, new HikariDataSource(relaxed));
        try {
            db.migrate(s.schema());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private void migrate(String schema) {
        var cfg = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (schema != null && !schema.isBlank()) cfg.schemas(schema).defaultSchema(schema).createSchemas(true);
        cfg.load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A small pool whose commits do not wait for the disk (synchronous_commit off), for state that may lose its last
     * few hundred milliseconds in a crash without harm, such as rate-limit buckets. Never for notifications.
     */
    public DataSource relaxedDataSource() {
        return relaxedDataSource;
    }

    @Override
    public void close() {
        relaxedDataSource.close();
        dataSource.close();
        if (embedded != null) embedded.close();
    }
}
