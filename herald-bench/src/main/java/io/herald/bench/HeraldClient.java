package io.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Herald's API as the load generator calls it, over {@link LeanHttp} (HTTP/1.1 keep-alive, blocking calls on the
 * caller's virtual thread). Request bodies are built as strings: the generator shares two cores with the server and
 * its database, so it spends as little CPU per request as it can.
 */
final class HeraldClient implements AutoCloseable {

    record Reply(int status, String body) {
    }

    private final LeanHttp http;
    /** A published template that sends name instead of inline content, or null (see {@link BenchTemplate}). */
    private volatile String templateKey;

    HeraldClient(String base, String appKey, String appSecret, Duration timeout) {
        String auth = "Basic " + Base64.getEncoder().encodeToString((appKey + ":" + appSecret).getBytes(StandardCharsets.UTF_8));
        this.http = new LeanHttp(URI.create(base), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()), "Authorization: " + auth,
                "Accept: application/json");
    }

    /** Creates or updates the recipient: one user with an email address, so one send is one EMAIL notification. */
    void ensureUser(String userId, String email) throws IOException {
        Reply r = call("PUT", "/v1/users/" + userId, "{\"email\":\"" + email + "\"}");
        if (r.status() != 200 && r.status() != 201) {
            throw new IOException("PUT /v1/users/" + userId + " answered " + r.status() + ": " + r.body());
        }
    }

    Reply send(String eventId, String userId) throws IOException {
        return call("POST", "/v1/notifications", item(eventId, userId));
    }

    /** A batch of {@code size} sends; item i goes to {@code users[(firstUser + i) % users.length]}. */
    Reply sendBatch(String eventPrefix, int size, String[] users, long firstUser) throws IOException {
        StringBuilder b = new StringBuilder(size * 180 + 32).append("{\"notifications\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) b.append(',');
            b.append(item(eventPrefix + i, users[(int) ((firstUser + i) % users.length)]));
        }
        b.append("]}");
        return call("POST", "/v1/notifications/batch", b.toString());
    }

    /** From now on, sends name this published template instead of carrying inline content. */
    void useTemplate(String key) {
        this.templateKey = key;
    }

    /** One send: EMAIL to a known user, transactional, inline content or the template. Ids are made of [a-z0-9-] only. */
    String item(String eventId, String userId) {
        String key = templateKey;
        return "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId
                + "\",\"channels\":[\"EMAIL\"],\"category\":\"transactional\","
                + (key != null
                        ? BenchTemplate.content(key, eventId)
                        : "\"content\":{\"subject\":\"Your order is ready\",\"text\":\"Hello from herald-bench, event " + eventId + "\"}")
                + "}";
    }

    Reply post(String path, String json) throws IOException {
        return call("POST", path, json);
    }

    Reply get(String path) throws IOException {
        return call("GET", path, null);
    }

    private Reply call(String method, String path, String json) throws IOException {
        LeanHttp.Answer a = http.exchange(method, path, json);
        return new Reply(a.status(), a.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
