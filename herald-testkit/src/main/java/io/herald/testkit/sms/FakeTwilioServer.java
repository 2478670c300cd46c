package io.herald.testkit.sms;

import com.sun.net.httpserver.HttpExchange;
import io.herald.testkit.LoopbackHttpServer;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Twilio Messages API peer on loopback. {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} with
 * HTTP Basic {@code AccountSid:AuthToken} and a form body is answered as Twilio does: 201 with the Message resource
 * JSON ({@code sid}, {@code status: "queued"}, {@code num_segments}, ...); 401 (code 20003) for bad credentials;
 * 404 (20404) for another path or account; 400 with 21604 (To missing), 21603 (neither From nor
 * MessagingServiceSid), 21602 (Body missing) or 21211 (To not E.164). {@link #rejectRecipient} and {@link #enqueue}
 * inject Twilio's other errors. Error bodies have Twilio's shape {@code {code, message, more_info, status}}.
 * Every request is recorded. Thread-safe.
 */
public final class FakeTwilioServer implements AutoCloseable {

    /** One request as received. */
    public record Request(String path, String authorization, String contentType, Map<String, String> form,
                          int answeredStatus, String sid) {
    }

    /** A scripted answer for the next request. */
    public record Reply(int status, Map<String, String> headers, String body) {

        public static Reply error(int status, int code, String message) {
            return new Reply(status, Map.of(), errorJson(status, code, message));
        }

        public static Reply tooManyRequests(long retryAfterSeconds) {
            return new Reply(429, Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                    errorJson(429, 20429, "Too Many Requests"));
        }

        public static Reply serverError(int status) {
            return new Reply(status, Map.of(), errorJson(status, 20500, "Internal Server Error"));
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final String accountSid;
    private final String authToken;
    private final LoopbackHttpServer server;
    private final Map<String, Reply> recipientReplies = new ConcurrentHashMap<>();
    private final Queue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeTwilioServer(String accountSid, String authToken) {
        this.accountSid = accountSid;
        this.authToken = authToken;
        server = LoopbackHttpServer.start(this::handle);
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    /** Messages to {@code to} get Twilio's 400 error {@code code}, e.g. 21211, 21614 or 21610. */
    public void rejectRecipient(String to, int code, String message) {
        recipientReplies.put(to, Reply.error(400, code, message));
    }

    /** The next well-formed, authenticated request gets this reply. */
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
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String path = exchange.getRequestURI().getPath();
            Map<String, String> form = FormData.parse(body);
            String sid = null;
            Reply reply;
            if (!expectedAuthorization().equals(auth)) {
                reply = Reply.error(401, 20003, "Authentication Error - invalid username");
            } else if (!path.equals("/2010-04-01/Accounts/" + accountSid + "/Messages.json")) {
                reply = Reply.error(404, 20404, "The requested resource " + path + " was not found");
            } else if (!"POST".equals(exchange.getRequestMethod())
                    || contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
                reply = Reply.error(400, 20001, "Expected a form-encoded POST");
            } else if (isBlank(form.get("To"))) {
                reply = Reply.error(400, 21604, "A 'To' phone number is required.");
            } else if (isBlank(form.get("From")) && isBlank(form.get("MessagingServiceSid"))) {
                reply = Reply.error(400, 21603, "A 'From' phone number is required.");
            } else if (isBlank(form.get("Body"))) {
                reply = Reply.error(400, 21602, "Message body is required.");
            } else if (!form.get("To").matches("\\+[1-9]\\d{6,14}")) {
                reply = Reply.error(400, 21211, "The 'To' number " + form.get("To") + " is not a valid phone number.");
            } else if (recipientReplies.containsKey(form.get("To"))) {
                reply = recipientReplies.get(form.get("To"));
            } else {
                reply = scripted.poll();
                if (reply == null) {
                    sid = "SM" + HexFormat.of().formatHex(randomBytes(16));
                    reply = new Reply(201, Map.of(), created(sid, form));
                }
            }
            requests.add(new Request(path, auth, contentType, form, reply.status(), sid));
            reply.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private String expectedAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    }

    /** The Message resource as Twilio returns it on create (fields that matter to a sender). */
    private String created(String sid, Map<String, String> form) {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(RFC_2822);
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid;
        ObjectNode m = JSON.createObjectNode();
        m.put("account_sid", accountSid);
        m.put("api_version", "2010-04-01");
        m.put("body", form.get("Body"));
        m.put("date_created", now);
        m.putNull("date_sent");
        m.put("date_updated", now);
        m.put("direction", "outbound-api");
        m.putNull("error_code");
        m.putNull("error_message");
        m.put("from", form.get("From"));
        m.put("messaging_service_sid", form.get("MessagingServiceSid"));
        m.put("num_media", "0");
        m.put("num_segments", "1");
        m.putNull("price");
        m.put("price_unit", "USD");
        m.put("sid", sid);
        m.put("status", "queued");
        m.putObject("subresource_uris").put("media", uri + "/Media.json");
        m.put("to", form.get("To"));
        m.put("uri", uri + ".json");
        return JSON.writeValueAsString(m);
    }

    static String errorJson(int status, int code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        e.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        e.put("status", status);
        return JSON.writeValueAsString(e);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
