package io.herald.client;

import io.herald.testkit.TestPostgres;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A whole Herald server in this JVM on a free port, against the machine's PostgreSQL in a schema of its own, with a
 * bootstrap app; stopped and its schema dropped by {@link #close()}.
 */
final class HeraldServerFixture implements AutoCloseable {

    static final String APP_KEY = "client-app";
    static final String APP_SECRET = "client-app-secret-123";
    /** Small limits so the 413 and 422 answers of the size guards are cheap to provoke. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    static final int MAX_BATCH = 50;

    private final String schema = TestPostgres.newSchema("client");
    private final Path dataDir;
    private final ConfigurableApplicationContext context;
    final String baseUrl;

    HeraldServerFixture() {
        try {
            dataDir = Files.createTempDirectory("herald-client-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context = SpringApplication.run(serverClass(),
                "--server.port=0",
                "--herald.db.url=" + TestPostgres.URL,
                "--herald.db.username=" + TestPostgres.USER,
                "--herald.db.schema=" + schema,
                "--herald.data-dir=" + dataDir,
                "--herald.bootstrap.app=" + APP_KEY + ":" + APP_SECRET,
                "--herald.dispatch.defaults.poll-interval=50ms",
                "--herald.api.max-request-size=" + MAX_REQUEST_BYTES + "B",
                "--herald.api.max-batch-size=" + MAX_BATCH,
                // Web Push endpoints of test devices point at localhost, which the outbound guard refuses otherwise
                "--herald.outbound.allowed-hosts=127.0.0.1,localhost");
        baseUrl = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /**
     * Herald's application class, looked up by name: from the package phase on, the reactor hands this module
     * herald-server's Spring Boot jar (classes under BOOT-INF/), so the class is not there to compile against;
     * surefire adds herald-server/target/classes to the test class path (see this module's pom).
     */
    private static Class<?> serverClass() {
        try {
            return Class.forName("io.herald.server.HeraldServer");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("herald-server's classes are not on the test class path; build herald-server first", e);
        }
    }

    HeraldClient.Builder client() {
        return HeraldClient.builder().baseUrl(baseUrl).credentials(APP_KEY, APP_SECRET);
    }

    @Override
    public void close() {
        context.close();
        TestPostgres.dropSchema(schema);
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: best effort
        }
    }
}
