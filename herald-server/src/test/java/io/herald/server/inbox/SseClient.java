package io.herald.server.inbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A minimal Server-Sent Events client for tests: parses the stream on a thread and queues its events. */
final class SseClient implements AutoCloseable {

    record Event(String name, String id, JsonNode data) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    private SseClient(String baseUrl, String token, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/inbox/stream?token=" + token))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        response = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> Thread.ofVirtual().start(() -> parse(r.body())));
    }

    static SseClient open(int port, String token, String lastEventId) {
        return open("http://localhost:" + port, token, lastEventId);
    }

    static SseClient open(String baseUrl, String token, String lastEventId) {
        return new SseClient(baseUrl, token, lastEventId);
    }

    private void parse(Stream<String> lines) {
        String name = null, id = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) events.add(new Event(name == null ? "message" : name, id, JSON.readTree(data.toString())));
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) name = line.substring(6).trim();
                else if (line.startsWith("id:")) id = line.substring(3).trim();
                else if (line.startsWith("data:")) data.append(line.substring(5).trim());
            }
        } catch (RuntimeException closed) {
            // the stream was closed by the test or the server
        }
    }

    /** The next event with this name (others are skipped); fails after 10 seconds. */
    Event next(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) throw new AssertionError("no '" + name + "' event within 10 s");
            if (e.name().equals(name)) return e;
        }
    }

    int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).statusCode();
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        client.shutdownNow();
    }
}
