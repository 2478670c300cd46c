package io.herald.server.engagement;

import com.sun.net.httpserver.HttpExchange;
import io.herald.testkit.LoopbackHttpServer;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook endpoint on loopback that records every request and answers scripted statuses (then 200). */
final class WebhookReceiver implements AutoCloseable {

    record Received(String id, String timestamp, String signature, String body, int answered) {
    }

    private final Queue<Integer> scripted = new ConcurrentLinkedQueue<>();
    private volatile String scriptedFor = "";
    private volatile int otherwise = 200;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final LoopbackHttpServer server = LoopbackHttpServer.start(this::handle);

    void answer(int... statuses) {
        for (int s : statuses) scripted.add(s);
    }

    /**
     * Scripted answers only for requests whose body contains the marker: another test's event that became due just
     * before this endpoint was created (inside the subscription's one-second grace) must not use them up.
     */
    void answerFor(String marker, int... statuses) {
        scriptedFor = marker;
        answer(statuses);
    }

    /** The answer once the scripted ones are used up. */
    void otherwise(int status) {
        otherwise = status;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    URI url() {
        return server.baseUrl().resolve("/hooks/herald");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Integer status = body.contains(scriptedFor) ? scripted.poll() : null;
            int answered = status == null ? otherwise : status;
            var h = ex.getRequestHeaders();
            received.add(new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"), body,
                    answered));
            ex.sendResponseHeaders(answered, -1);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
