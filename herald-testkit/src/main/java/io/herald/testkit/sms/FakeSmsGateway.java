package io.herald.testkit.sms;

import com.sun.net.httpserver.HttpExchange;
import io.herald.testkit.LoopbackHttpServer;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generic HTTP SMS gateway on loopback: records every request (method, path, query, headers, raw body) and
 * answers with the next queued {@link Reply}, else {@code 200 {"messages":[{"id":"gw-N","status":"accepted"}]}}.
 * Understands nothing, so tests assert exactly what a provider sent. Thread-safe.
 */
public final class FakeSmsGateway implements AutoCloseable {

    /** One request as received; header names are lower-case. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {

        /** The body, or for GET the query, parsed as a form. */
        public Map<String, String> form() {
            return FormData.parse("GET".equals(method) ? query : body);
        }
    }

    public record Reply(int status, Map<String, String> headers, String contentType, String body) {

        public static Reply json(int status, String body) {
            return new Reply(status, Map.of(), "application/json", body);
        }

        public static Reply text(int status, String body) {
            return new Reply(status, Map.of(), "text/plain", body);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new TreeMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, contentType, body);
        }
    }

    private final LoopbackHttpServer server;
    private final Queue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    public FakeSmsGateway() {
        server = LoopbackHttpServer.start(this::handle);
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    public void enqueue(Reply reply) {
        scripted.add(reply);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), body));
            Reply reply = scripted.poll();
            if (reply == null) {
                reply = Reply.json(200, "{\"messages\":[{\"id\":\"gw-" + ids.incrementAndGet() + "\",\"status\":\"accepted\"}]}");
            }
            reply.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) exchange.getResponseBody().write(out);
        }
    }
}
