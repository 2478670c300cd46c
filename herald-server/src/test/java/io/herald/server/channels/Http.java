package io.herald.server.channels;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Small HTTP helpers for the end-to-end channel tests (the same as ServerTestBase's, whose schema is shared by
 * the classes that extend it; these classes need a schema and provider configuration of their own).
 */
final class Http {

    static final String APP = "app1:app1-secret-123";
    static final String ADMIN = "admin:admin-password-1";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, String contentType, JsonNode body, String raw, HttpHeaders headers) {
        String text(String field) {
            JsonNode n = body == null ? null : body.get(field);
            return n == null || n.isNull() ? null : n.asString();
        }
    }

    private final int port;

    Http(int port) {
        this.port = port;
    }

    Reply call(String method, String path, String credentials, String body) {
        return call(method, path, credentials, body, "application/json", Map.of());
    }

    Reply call(String method, String path, String credentials, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) b.header("Content-Type", contentType);
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("Content-Type").orElse("");
            JsonNode node = ct.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
            return new Reply(r.statusCode(), ct, node, r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GETs the notification until the predicate holds or the deadline passes; returns the last reply. */
    Reply awaitNotification(String id, Predicate<Reply> done) {
        return await(() -> call("GET", "/v1/notifications/" + id, APP, null), done);
    }

    Reply awaitStatus(String id, String status) {
        return awaitNotification(id, r -> status.equals(r.text("status")));
    }

    static <T> T await(java.util.function.Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T last;
        do {
            last = probe.get();
            if (done.test(last)) return last;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        } while (System.nanoTime() < deadline);
        return last;
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The properties every end-to-end server here shares: the machine's PostgreSQL on its own schema, the bootstrap
     * app and admin, a data directory, and a short poll interval.
     */
    static void serverOn(org.springframework.test.context.DynamicPropertyRegistry r, String schema, Path dataDir) {
        r.add("herald.db.url", () -> io.herald.testkit.TestPostgres.URL);
        r.add("herald.db.username", () -> io.herald.testkit.TestPostgres.USER);
        r.add("herald.db.schema", () -> schema);
        r.add("herald.bootstrap.app", () -> APP);
        r.add("herald.bootstrap.admin", () -> ADMIN);
        r.add("herald.data-dir", dataDir::toString);
        r.add("herald.dispatch.defaults.poll-interval", () -> "50ms");
    }

    /** Drops the schema and deletes the directory when the test JVM ends (Spring closes cached contexts only then). */
    static void cleanUpAtExit(String schema, Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                io.herald.testkit.TestPostgres.dropSchema(schema);
            } catch (RuntimeException ignored) {
                // best effort
            }
            deleteQuietly(dir);
        }));
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort: the other peers still get closed
        }
    }
}
