package io.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP client, HTTP/1.1 with keep-alive (connections are pooled and reused by the client), on virtual
 * threads. Request bodies are built as strings: the load generator shares two cores with the server and its
 * database, so it spends as little CPU per request as it can.
 */
final class HeraldClient implements AutoCloseable {

    record Reply(int status, String body) {
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final String base;
    private final String auth;
    private final Duration timeout;
    private final URI single;
    private final URI batch;

    HeraldClient(String base, String appKey, String appSecret, Duration timeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        this.base = base;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((appKey + ":" + appSecret).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.single = URI.create(base + "/v1/notifications");
        this.batch = URI.create(base + "/v1/notifications/batch");
    }

    /** Creates or updates the recipient: one user with an email address, so one send is one EMAIL notification. */
    void ensureUser(String userId, String email) throws IOException, InterruptedException {
        Reply r = call(HttpRequest.newBuilder(URI.create(base + "/v1/users/" + userId))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")));
        if (r.status() != 200 && r.status() != 201) {
            throw new IOException("PUT /v1/users/" + userId + " answered " + r.status() + ": " + r.body());
        }
    }

    Reply send(String eventId, String userId) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(single).POST(HttpRequest.BodyPublishers.ofString(item(eventId, userId))));
    }

    /** A batch of {@code size} sends; item i goes to {@code users[(firstUser + i) % users.length]}. */
    Reply sendBatch(String eventPrefix, int size, String[] users, long firstUser) throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder(size * 180 + 32).append("{\"notifications\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) b.append(',');
            b.append(item(eventPrefix + i, users[(int) ((firstUser + i) % users.length)]));
        }
        b.append("]}");
        return call(HttpRequest.newBuilder(batch).POST(HttpRequest.BodyPublishers.ofString(b.toString())));
    }

    /** One send: EMAIL to a known user, inline content, transactional. Ids are made of [a-z0-9-] only. */
    static String item(String eventId, String userId) {
        return "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId
                + "\",\"channels\":[\"EMAIL\"],\"category\":\"transactional\","
                + "\"content\":{\"subject\":\"Your order is ready\",\"text\":\"Hello from herald-bench, event " + eventId + "\"}}";
    }

    Reply post(String path, String json) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply get(String path) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private Reply call(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpRequest req = b.header("Authorization", auth).header("Content-Type", "application/json")
                .header("Accept", "application/json").timeout(timeout).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Reply(resp.statusCode(), resp.body());
    }

    @Override
    public void close() {
        http.close();
        executor.close();
    }
}
