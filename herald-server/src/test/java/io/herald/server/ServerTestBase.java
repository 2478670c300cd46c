package io.herald.server;

import io.herald.testkit.TestPostgres;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * A whole Herald server on a random port, on a schema of its own in the machine's PostgreSQL, with a bootstrap
 * app and admin. Subclasses talk to it over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServerTestBase {

    protected static final String APP = "app1:app1-secret-123";
    protected static final String ADMIN = "admin:admin-password-1";
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCHEMA = TestPostgres.newSchema("server");
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        r.add("herald.db.url", () -> TestPostgres.URL);
        r.add("herald.db.username", () -> TestPostgres.USER);
        r.add("herald.db.schema", () -> SCHEMA);
        r.add("herald.bootstrap.app", () -> APP);
        r.add("herald.bootstrap.admin", () -> ADMIN);
        r.add("herald.dispatch.defaults.poll-interval", () -> "50ms");
        // Spring keeps every test context alive until the JVM ends: small pools keep the shared PostgreSQL under max_connections
        r.add("herald.db.pool-size", () -> "8");
    }

    // the Spring context is cached and closed at JVM exit, so the schema is dropped by a shutdown hook after it
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                TestPostgres.dropSchema(SCHEMA);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }));
    }

    protected static String schema() {
        return SCHEMA;
    }

    public record Reply(int status, String contentType, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
    }

    protected Reply call(String method, String path, String credentials, String body) {
        return call(method, path, credentials, body, "application/json");
    }

    protected Reply call(String method, String path, String credentials, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("Content-Type").orElse("");
            JsonNode node = null;
            if (ct.contains("json") && !r.body().isEmpty()) node = JSON.readTree(r.body());
            if (checksResponsesAgainstOpenApi()) checkAgainstOpenApi(method, path, r.statusCode(), ct, node);
            return new Reply(r.statusCode(), ct, node, r.body(), r.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Contract tests say true: every reply they receive must agree with the server's OpenAPI document. */
    protected boolean checksResponsesAgainstOpenApi() {
        return false;
    }

    private OpenApiResponses openApi;

    private void checkAgainstOpenApi(String method, String path, int status, String contentType, JsonNode body) {
        if (openApi == null) openApi = OpenApiResponses.of(port);
        openApi.assertAgrees(method, path, status, contentType, body);
    }

    /** Polls until the predicate holds or the deadline passes; returns the last reply. */
    protected Reply await(String path, String credentials, Predicate<Reply> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Reply r;
        do {
            r = call("GET", path, credentials, null);
            if (done.test(r)) return r;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        } while (System.nanoTime() < deadline);
        return r;
    }
}
