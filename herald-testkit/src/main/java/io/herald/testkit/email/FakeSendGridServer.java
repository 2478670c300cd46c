package io.herald.testkit.email;

import com.sun.net.httpserver.HttpExchange;
import io.herald.testkit.LoopbackHttpServer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A SendGrid v3 Mail Send peer on loopback. It answers {@code POST /v3/mail/send} as SendGrid documents it: 401
 * without the expected {@code Authorization: Bearer} key, 400 with SendGrid's error body when the JSON misses
 * what SendGrid requires (personalizations with to addresses, from.email, subject, content with text/plain before
 * text/html), else 202 with an {@code X-Message-Id} header and no body. Replies queued with {@link #enqueue} are
 * used first, one per request, to inject each documented error. Every request is recorded. Thread-safe.
 */
public final class FakeSendGridServer implements AutoCloseable {

    /** One request as received, with the status answered. */
    public record Request(String method, String path, String authorization, String contentType, JsonNode json,
                          int answeredStatus, String messageId) {
    }

    /** A scripted answer. */
    public record Reply(int status, Map<String, String> headers, String body) {

        public static Reply badRequest(String field, String message) {
            return new Reply(400, Map.of(), errorBody(field, message));
        }

        public static Reply unauthorized() {
            return new Reply(401, Map.of(), errorBody(null, "The provided authorization grant is invalid, expired, or revoked"));
        }

        public static Reply forbidden(String message) {
            return new Reply(403, Map.of(), errorBody("from", message));
        }

        public static Reply payloadTooLarge() {
            return new Reply(413, Map.of(), errorBody(null, "The JSON payload you have included in your request is too large."));
        }

        public static Reply tooManyRequests(long retryAfterSeconds) {
            return new Reply(429, Map.of("Retry-After", Long.toString(retryAfterSeconds)), errorBody(null, "too many requests"));
        }

        public static Reply serverError(int status) {
            return new Reply(status, Map.of(), errorBody(null, "internal error"));
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String apiKey;
    private final LoopbackHttpServer server;
    private final Queue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeSendGridServer(String apiKey) {
        this.apiKey = apiKey;
        server = LoopbackHttpServer.start(this::handle);
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    /** The next request gets this reply instead of the normal one (after auth and shape checks pass). */
    public void enqueue(Reply reply) {
        scripted.add(reply);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests that were answered 202. */
    public List<Request> accepted() {
        return requests.stream().filter(r -> r.answeredStatus() == 202).toList();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode json = null;
            Reply reply;
            if (!"/v3/mail/send".equals(exchange.getRequestURI().getPath())) {
                reply = new Reply(404, Map.of(), errorBody(null, "not found"));
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                reply = new Reply(405, Map.of(), errorBody(null, "method not allowed"));
            } else if (!("Bearer " + apiKey).equals(auth)) {
                reply = Reply.unauthorized();
            } else if (contentType == null || !contentType.startsWith("application/json")) {
                reply = Reply.badRequest(null, "Content-Type should be application/json.");
            } else {
                try {
                    json = JSON.readTree(body);
                    String problem = shapeProblem(json);
                    reply = problem != null
                            ? Reply.badRequest(problem.substring(0, problem.indexOf('|')),
                                    problem.substring(problem.indexOf('|') + 1))
                            : scripted.poll();
                } catch (JacksonException e) {
                    reply = Reply.badRequest(null, "Bad Request");
                }
            }
            String messageId = null;
            if (reply == null) {
                messageId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
                reply = new Reply(202, Map.of("X-Message-Id", messageId), "");
            }
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), auth, contentType,
                    json, reply.status(), messageId));
            reply.headers().forEach(exchange.getResponseHeaders()::set);
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            if (out.length > 0) exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) exchange.getResponseBody().write(out);
        }
    }

    /** "field|message" of the first thing SendGrid would refuse, or null. */
    private static String shapeProblem(JsonNode json) {
        JsonNode personalizations = json.path("personalizations");
        if (!personalizations.isArray() || personalizations.isEmpty()) {
            return "personalizations|The personalizations field is required and must have at least one personalization.";
        }
        for (int i = 0; i < personalizations.size(); i++) {
            JsonNode to = personalizations.get(i).path("to");
            if (!to.isArray() || to.isEmpty())
                return "personalizations." + i
                        + ".to|The to array is required for all personalization objects, and must have at least one email object with a valid email address.";
            for (int j = 0; j < to.size(); j++) {
                if (!to.get(j).path("email").asString("").matches("[^@\\s]+@[^@\\s]+")) {
                    return "personalizations." + i + ".to." + j + ".email|Does not contain a valid address.";
                }
            }
        }
        if (!json.path("from").path("email").asString("").contains("@"))
            return "from.email|The from email does not contain a valid address.";
        if (json.path("subject").asString("").isBlank())
            return "subject|The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.";
        JsonNode content = json.path("content");
        if (!content.isArray() || content.isEmpty())
            return "content|Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.";
        List<String> types = new ArrayList<>();
        for (JsonNode c : content) {
            if (c.path("type").asString("").isBlank() || c.path("value").asString("").isEmpty()) {
                return "content.type|The content value must be a string at least one character in length.";
            }
            types.add(c.path("type").asString());
        }
        if (types.contains("text/plain") && types.indexOf("text/plain") != 0) {
            return "content|If present, text/plain and text/html may only be provided in that order.";
        }
        for (JsonNode value : json.path("custom_args")) {
            if (!value.isString()) return "custom_args|Custom args must be strings.";
        }
        return null;
    }

    static String errorBody(String field, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("message", message);
        if (field == null) error.putNull("field");
        else
            error.put("field", field);
        error.putNull("help");
        return JSON.writeValueAsString(root);
    }
}
