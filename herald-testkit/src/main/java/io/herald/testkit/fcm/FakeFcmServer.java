package io.herald.testkit.fcm;

import com.sun.net.httpserver.HttpExchange;
import io.herald.testkit.LoopbackHttpServer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A faithful local peer of FCM HTTP v1 and of Google's OAuth2 token endpoint, on loopback (JDK HttpServer).
 * <ul>
 *   <li>{@code POST /token}: the JWT bearer grant; verifies the assertion's RS256 signature with the service
 *       account's public key and its claims (see {@link JwtBearerAssertion}), then issues an access token that
 *       expires after {@link #tokenLifetime} by the fake's clock.</li>
 *   <li>{@code POST /v1/projects/{project}/messages:send}: checks the project, the bearer token (401 UNAUTHENTICATED
 *       when unknown, expired or revoked), the JSON shape of the v1 Message (400 INVALID_ARGUMENT with a
 *       google.rpc.BadRequest detail otherwise), answers UNREGISTERED for tokens {@link #unregister}ed, scripted
 *       errors from {@link #failNext}, and otherwise 200 {@code {"name": "projects/{project}/messages/{id}"}}.</li>
 * </ul>
 * Every token grant and every authenticated send is recorded. Thread-safe. Close it to free the port.
 */
public final class FakeFcmServer implements AutoCloseable {

    private static final Set<String> MESSAGE_FIELDS = Set.of("name", "data", "notification", "android", "webpush", "apns",
            "fcm_options", "token", "topic", "condition");
    private static final Set<String> NOTIFICATION_FIELDS = Set.of("title", "body", "image");

    private final String projectId;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final LoopbackHttpServer server;
    private final Map<String, TestServiceAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, Instant> issuedTokens = new ConcurrentHashMap<>();
    private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Scripted> scripted = new ConcurrentLinkedQueue<>();
    private final List<TokenGrant> grants = new CopyOnWriteArrayList<>();
    private final List<SentFcmMessage> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final AtomicInteger refuseTokens = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong(1_700_000_000_000L);
    private final AtomicReference<Duration> tokenLifetime = new AtomicReference<>(Duration.ofSeconds(3599));

    private record Scripted(FcmError error, String retryAfter) {
    }

    private FakeFcmServer(String projectId, Clock clock) {
        this.projectId = projectId;
        this.clock = clock;
        server = new LoopbackHttpServer(Map.of("/token", this::token, "/v1/", this::send));
    }

    public static FakeFcmServer start(String projectId) {
        return start(projectId, Clock.systemUTC());
    }

    /** The clock decides when issued access tokens expire and whether assertions are fresh. */
    public static FakeFcmServer start(String projectId, Clock clock) {
        return new FakeFcmServer(projectId, clock);
    }

    /** Generates a service account whose key file points at this fake's token endpoint, and trusts it. */
    public TestServiceAccount newServiceAccount(Path dir) {
        TestServiceAccount account = TestServiceAccount.generate(dir, projectId, tokenUri());
        accounts.put(account.clientEmail(), account);
        return account;
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    public URI tokenUri() {
        return URI.create(baseUrl() + "/token");
    }

    /** The {@code expires_in} of tokens issued from now on. */
    public FakeFcmServer tokenLifetime(Duration lifetime) {
        tokenLifetime.set(lifetime);
        return this;
    }

    /** The next send (after authentication) is answered with this error; calls queue up. */
    public FakeFcmServer failNext(FcmError error) {
        return failNext(error, null);
    }

    /** Like {@link #failNext(FcmError)}, with a Retry-After header (seconds or an HTTP-date). */
    public FakeFcmServer failNext(FcmError error, String retryAfter) {
        scripted.add(new Scripted(error, retryAfter));
        return this;
    }

    /** Sends to this registration token are answered 404 UNREGISTERED, as after an app uninstall. */
    public FakeFcmServer unregister(String registrationToken) {
        unregistered.add(registrationToken);
        return this;
    }

    /** Every access token issued so far stops working (401), as when Google revokes or rotates them early. */
    public FakeFcmServer revokeAccessTokens() {
        issuedTokens.clear();
        return this;
    }

    /** The next {@code sends} sends are answered 401 whatever token they carry (credentials revoked at Google). */
    public FakeFcmServer refuseAccessTokensForNext(int sends) {
        refuseTokens.set(sends);
        return this;
    }

    public List<TokenGrant> tokenGrants() {
        return List.copyOf(grants);
    }

    public List<SentFcmMessage> sentMessages() {
        return List.copyOf(sent);
    }

    /** Sends refused with 401 because of a missing, unknown, expired or revoked bearer token. */
    public int unauthenticatedRequests() {
        return unauthenticated.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, Map.of("error", "invalid_request"), null);
                return;
            }
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
                respond(exchange, 400, Map.of("error", "unsupported_grant_type", "error_description", "Invalid grant_type"), null);
                return;
            }
            String assertion = form.getOrDefault("assertion", "");
            try {
                TestServiceAccount account = accounts.get(issuer(assertion));
                if (account == null) throw new JwtBearerAssertion.InvalidGrant("Invalid grant: account not found");
                grants.add(JwtBearerAssertion.verify(assertion, account, tokenUri().toString(), clock.instant(), json));
            } catch (JwtBearerAssertion.InvalidGrant | JacksonException e) {
                respond(exchange, 400, Map.of("error", "invalid_grant", "error_description", String.valueOf(e.getMessage())), null);
                return;
            }
            String token = "ya29.fake-" + grants.size() + "-" + Long.toHexString(ids.incrementAndGet());
            Duration lifetime = tokenLifetime.get();
            issuedTokens.put(token, clock.instant().plus(lifetime));
            respond(exchange, 200, Map.of("access_token", token, "expires_in", lifetime.toSeconds(), "token_type", "Bearer"), null);
        }
    }

    private String issuer(String assertion) {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) throw new JwtBearerAssertion.InvalidGrant("Invalid JWT: not three segments");
        try {
            return json.readTree(java.util.Base64.getUrlDecoder().decode(parts[1])).path("iss").asString("");
        } catch (IllegalArgumentException e) {
            throw new JwtBearerAssertion.InvalidGrant("Invalid JWT: bad base64url");
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/v1/projects/" + projectId + "/messages:send")) {
                respond(exchange, 404, FcmError.body(404, "Requested entity was not found.", "NOT_FOUND", List.of()), null);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, FcmError.body(405, "Method not allowed", "UNIMPLEMENTED", List.of()), null);
                return;
            }
            String accessToken = bearer(exchange.getRequestHeaders().getFirst("Authorization"));
            Instant expiresAt = accessToken == null ? null : issuedTokens.get(accessToken);
            boolean refused = refuseTokens.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (expiresAt == null || !clock.instant().isBefore(expiresAt) || refused) {
                unauthenticated.incrementAndGet();
                respond(exchange, 401, FcmError.unauthenticated(), "Bearer realm=\"https://accounts.google.com/\"");
                return;
            }
            JsonNode body;
            try {
                body = json.readTree(exchange.getRequestBody().readAllBytes());
            } catch (JacksonException e) {
                respond(exchange, 400, FcmError.badRequest("", "Invalid JSON payload received."), null);
                return;
            }
            Answer answer = answer(body);
            sent.add(new SentFcmMessage(accessToken, body, answer.status()));
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            if (answer.retryAfter() != null) exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
            respond(exchange, answer.status(), answer.body(), null);
        }
    }

    private record Answer(int status, Map<String, Object> body, String retryAfter) {
    }

    private Answer answer(JsonNode body) {
        String invalid = FcmMessageShape.check(body, MESSAGE_FIELDS, NOTIFICATION_FIELDS);
        if (invalid != null) {
            int colon = invalid.indexOf(": ");
            return new Answer(400, FcmError.badRequest(invalid.substring(0, colon), invalid.substring(colon + 2)), null);
        }
        Scripted next = scripted.poll();
        if (next != null) return new Answer(next.error().httpStatus(), next.error().body(), next.retryAfter());
        if (unregistered.contains(body.path("message").path("token").asString(""))) {
            return new Answer(404, FcmError.UNREGISTERED.body(), null);
        }
        return new Answer(200, Map.of("name", "projects/" + projectId + "/messages/0:" + ids.incrementAndGet()), null);
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) return null;
        return authorization.substring("Bearer ".length()).trim();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private void respond(HttpExchange exchange, int status, Object body, String wwwAuthenticate) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        if (wwwAuthenticate != null) exchange.getResponseHeaders().set("WWW-Authenticate", wwwAuthenticate);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.close();
    }
}
