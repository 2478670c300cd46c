package io.herald.testkit.webpush;

import com.sun.net.httpserver.HttpExchange;
import io.herald.testkit.LoopbackHttpServer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Web Push service (RFC 8030) on localhost for tests, strict the way real ones are: it verifies the VAPID
 * JWT (ES256 signature against the {@code k=} key, which must be the key the subscription was made with; aud
 * is this service's origin; exp in the future and at most 24 hours away; sub a mailto: or https: URI — RFC 8292),
 * checks the TTL, Urgency, Topic and Content-Encoding headers, and decrypts the body with the subscriber's
 * private key. Accepted messages answer 201 with a Location and are kept in {@link #received()}.
 *
 * <p>Failures to inject: {@link #respondNext} scripts the next answers (after verification, so those requests are
 * still checked); {@link #unsubscribe} makes a subscription answer 410. Unknown subscriptions answer 404,
 * a bad token 401, a key other than the subscription's 403, a malformed request 400. Thread-safe.
 */
public final class FakePushService implements AutoCloseable {

    private static final Pattern AUTH = Pattern.compile("vapid\\s+t=([^,\\s]+)\\s*,\\s*k=([^,\\s]+)\\s*");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LoopbackHttpServer server;
    private final Clock clock;
    private final Map<String, FakeSubscriber> subscribers = new ConcurrentHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Scripted> script = new ConcurrentLinkedQueue<>();
    private final List<ReceivedPush> received = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    private record Scripted(int status, Map<String, String> headers, String body) {
    }

    private FakePushService(Clock clock) {
        this.clock = clock;
        this.server = new LoopbackHttpServer(Map.of("/push/", this::handle));
    }

    /** Starts on a free port; {@code clock} is what VAPID expiry is checked against. */
    public static FakePushService start(Clock clock) {
        return new FakePushService(clock);
    }

    /** The origin a VAPID token's aud must name, e.g. {@code http://127.0.0.1:41234}. */
    public String origin() {
        return server.baseUrl().toString();
    }

    /** Like {@code pushManager.subscribe({applicationServerKey})} in a browser: a new subscription bound to that VAPID key. */
    public FakeSubscriber subscribe(String applicationServerKey) {
        String id = UUID.randomUUID().toString();
        FakeSubscriber s = new FakeSubscriber(id, origin() + "/push/" + id, applicationServerKey);
        subscribers.put(id, s);
        return s;
    }

    /** The user revoked permission or the subscription expired: from now on it answers 410 Gone. */
    public void unsubscribe(FakeSubscriber subscriber) {
        gone.add(subscriber.id());
    }

    /** The next verified request gets this answer instead of 201 (queued: call again for later requests). */
    public void respondNext(int status, Map<String, String> headers, String body) {
        script.add(new Scripted(status, Map.copyOf(headers), body == null ? "" : body));
    }

    /** Messages accepted with 201, oldest first. */
    public List<ReceivedPush> received() {
        return List.copyOf(received);
    }

    /** Why requests were refused by verification (401/403/400), for test failure messages. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Every request that reached the service. */
    public int requestCount() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!"POST".equals(ex.getRequestMethod())) {
                answer(ex, 405, Map.of(), "POST only");
                return;
            }
            String id = ex.getRequestURI().getPath().substring("/push/".length());
            FakeSubscriber sub = subscribers.get(id);
            if (sub == null) {
                answer(ex, 404, Map.of(), "no such subscription");
                return;
            }
            if (gone.contains(id)) {
                answer(ex, 410, Map.of(), "push subscription has unsubscribed or expired");
                return;
            }
            Verified v;
            try {
                v = verify(ex, sub, body);
            } catch (Refusal r) {
                refusals.add(r.status + " " + r.getMessage());
                answer(ex, r.status, Map.of(), r.getMessage());
                return;
            }
            Scripted next = script.poll();
            if (next != null) {
                answer(ex, next.status(), next.headers(), next.body());
                return;
            }
            received.add(new ReceivedPush(id, v.ttl, v.urgency, v.topic, v.claims, v.plaintext));
            answer(ex, 201, Map.of("Location", origin() + "/message/" + UUID.randomUUID()), "");
        }
    }

    private record Verified(long ttl, String urgency, String topic, Map<String, Object> claims, byte[] plaintext) {
    }

    private Verified verify(HttpExchange ex, FakeSubscriber sub, byte[] body) {
        var h = ex.getRequestHeaders();
        if (!"aes128gcm".equals(h.getFirst("Content-Encoding"))) throw new Refusal(400, "Content-Encoding must be aes128gcm");
        long ttl;
        try {
            ttl = Long.parseLong(String.valueOf(h.getFirst("TTL")));
        } catch (NumberFormatException e) {
            throw new Refusal(400, "TTL header missing or not a number (RFC 8030 section 5.2)");
        }
        if (ttl < 0) throw new Refusal(400, "negative TTL");
        String urgency = h.getFirst("Urgency");
        if (urgency != null && !URGENCIES.contains(urgency)) throw new Refusal(400, "bad Urgency " + urgency);
        String topic = h.getFirst("Topic");
        if (topic != null && !TOPIC.matcher(topic).matches()) throw new Refusal(400, "bad Topic " + topic);
        Map<String, Object> claims = verifyVapid(String.valueOf(h.getFirst("Authorization")), sub);
        byte[] plaintext;
        try {
            plaintext = sub.decrypt(body);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "body does not decrypt: " + e.getMessage());
        }
        return new Verified(ttl, urgency, topic, claims, plaintext);
    }

    private Map<String, Object> verifyVapid(String authorization, FakeSubscriber sub) {
        Matcher m = AUTH.matcher(authorization);
        if (!m.matches()) throw new Refusal(401, "Authorization must be 'vapid t=<jwt>, k=<key>' (RFC 8292 section 3)");
        String jwt = m.group(1);
        String k = m.group(2);
        if (!k.equals(sub.applicationServerKey())) throw new Refusal(403, "VAPID key differs from the subscription's applicationServerKey");
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) throw new Refusal(401, "JWT must have three parts");
        Base64.Decoder b64 = Base64.getUrlDecoder();
        try {
            Map<String, Object> header = JSON.readValue(b64.decode(parts[0]), new TypeReference<>() {
            });
            if (!"ES256".equals(header.get("alg"))) throw new Refusal(401, "JWT alg must be ES256");
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(FakeSubscriber.publicKey(b64.decode(k)));
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(b64.decode(parts[2]))) throw new Refusal(401, "JWT signature does not verify with k");
            Map<String, Object> claims = JSON.readValue(b64.decode(parts[1]), new TypeReference<>() {
            });
            if (!origin().equals(claims.get("aud"))) throw new Refusal(401, "aud " + claims.get("aud") + " is not " + origin());
            if (!(claims.get("exp") instanceof Number exp)) throw new Refusal(401, "exp missing");
            long now = clock.instant().getEpochSecond();
            if (exp.longValue() <= now) throw new Refusal(401, "JWT expired");
            if (exp.longValue() > now + Duration.ofHours(24).toSeconds()) throw new Refusal(401, "exp more than 24 hours ahead");
            if (!(claims.get("sub") instanceof String subject) || !(subject.startsWith("mailto:") || subject.startsWith("https:"))) {
                throw new Refusal(401, "sub must be a mailto: or https: URI");
            }
            return Map.copyOf(claims);
        } catch (GeneralSecurityException | IllegalArgumentException | tools.jackson.core.JacksonException e) {
            if (e instanceof Refusal r) throw r;
            throw new Refusal(401, "unreadable VAPID token: " + e.getMessage());
        }
    }

    private static void answer(HttpExchange ex, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
    }

    private static final class Refusal extends IllegalArgumentException {
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
