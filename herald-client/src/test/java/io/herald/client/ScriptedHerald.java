package io.herald.client;

import com.sun.net.httpserver.HttpExchange;
import io.herald.testkit.LoopbackHttpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP peer that plays a scripted sequence of answers, one per request, and records every request it
 * received. An answer may also hang (never reply) until the test ends, to make the client time out.
 */
final class ScriptedHerald implements AutoCloseable {

    record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst()
                    .orElse(null);
        }
    }

    record Reply(int status, Map<String, String> headers, String body, boolean hang) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body, false);
        }

        static Reply problem(int status, String retryAfter, String body) {
            return new Reply(status, retryAfter == null
                    ? Map.of("Content-Type", "application/problem+json")
                    : Map.of("Content-Type", "application/problem+json", "Retry-After", retryAfter), body, false);
        }

        static Reply hanging() {
            return new Reply(0, Map.of(), null, true);
        }
    }

    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private final LoopbackHttpServer server = LoopbackHttpServer.start(this::handle);

    ScriptedHerald then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    String baseUrl() {
        return server.baseUrl().toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                Map.copyOf(ex.getRequestHeaders()), body));
        Reply r = script.poll();
        if (r == null) r = Reply.problem(500, null, "{\"title\":\"script exhausted\",\"status\":500}");
        if (r.hang()) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] bytes = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.close();
    }
}
