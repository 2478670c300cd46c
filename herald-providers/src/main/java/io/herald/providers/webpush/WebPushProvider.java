package io.herald.providers.webpush;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.model.WebPushSubscription;
import io.herald.core.net.OutboundGuard;
import io.herald.core.net.OutboundRefusedException;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * Web Push to browsers: RFC 8030 delivery, RFC 8291 encryption, RFC 8292 VAPID, with the JDK's own crypto.
 * Takes {@link Target.Device}s of platform {@link Platform#WEB}; the payload is described in {@link WebPushPayload}
 * (JSON with id, title, body, url, data).
 *
 * <p>Outcomes: 2xx is {@link SendResult.Accepted} with the push message's Location (else the notification id).
 * 404/410 is {@link SendResult.Rejected} TOKEN_UNREGISTERED: the subscription is gone and the device is deactivated.
 * 413, 400, 401, 403 and other 4xx are Rejected PROVIDER_REJECTED with the service's answer in the detail.
 * A payload over {@value #MAX_BODY_BYTES} bytes after encryption is Rejected TEMPLATE_ERROR without a request;
 * a malformed subscription is Rejected INVALID_RECIPIENT. 408, 429, 5xx and I/O errors are {@link SendResult.Failed},
 * carrying the service's Retry-After.
 *
 * <p>Headers: TTL from the message's expiry (else {@link WebPushSettings#defaultTtl()}), Urgency from the priority,
 * Topic from the {@value #TOPIC_KEY} entry of the content's data when it is a valid topic (RFC 8030 section 5.4:
 * up to 32 base64url characters; a newer message with the same topic replaces an undelivered one).
 *
 * <p>Thread-safe; {@link #send} blocks on the HTTP call (HTTP/2 where the push service offers it), meant for virtual threads.
 */
public final class WebPushProvider implements ChannelProvider, AutoCloseable {

    /** Most push services refuse larger bodies; RFC 8030 section 7.2 only promises 4096 bytes. */
    public static final int MAX_BODY_BYTES = 4096;
    /** Key of {@code Content.data} that becomes the Topic header. */
    public static final String TOPIC_KEY = "webpush.topic";
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final WebPushSettings settings;
    private final VapidKeys keys;
    private final VapidSigner signer;
    private final HttpClient http;
    private final boolean ownsClient;
    private final Clock clock;
    private final OutboundGuard guard;

    /** Own HTTP/2 client, system clock, no internal endpoint allowed. Generates and persists VAPID keys when none are configured. */
    public WebPushProvider(WebPushSettings settings) {
        this(settings, OutboundGuard.strict());
    }

    /** Production: endpoints are checked by {@code guard} right before each connection (subscriptions come from clients). */
    public WebPushProvider(WebPushSettings settings, OutboundGuard guard) {
        this(settings, newClient(settings), true, Clock.systemUTC(), guard);
    }

    /** With a caller-owned HTTP client (not closed by {@link #close}) and clock. */
    public WebPushProvider(WebPushSettings settings, HttpClient http, Clock clock, OutboundGuard guard) {
        this(settings, http, false, clock, guard);
    }

    private WebPushProvider(WebPushSettings settings, HttpClient http, boolean ownsClient, Clock clock, OutboundGuard guard) {
        this.guard = guard;
        this.settings = settings;
        this.keys = VapidKeys.from(settings);
        this.signer = new VapidSigner(keys, settings.subject(), settings.tokenValidity(), clock);
        this.http = http;
        this.ownsClient = ownsClient;
        this.clock = clock;
    }

    public static HttpClient newClient(WebPushSettings settings) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The VAPID public key for front-ends: {@code pushManager.subscribe({applicationServerKey: <this>})}. */
    public String vapidPublicKey() {
        return keys.publicKeyBase64Url();
    }

    @Override
    public String name() {
        return "webpush";
    }

    @Override
    public Channel channel() {
        return Channel.PUSH;
    }

    @Override
    public boolean supports(Target target) {
        return target instanceof Target.Device d && d.platform() == Platform.WEB;
    }

    /** Waits for {@link #sendAsync}'s answer. */
    @Override
    public SendResult send(OutboundMessage message) {
        return sendAsync(message).toCompletableFuture().join();
    }

    /** Checks, encrypts and signs in the calling thread, then posts with the JDK client's {@code sendAsync}. */
    @Override
    public CompletableFuture<SendResult> sendAsync(OutboundMessage message) {
        if (!(message.target() instanceof Target.Device device) || device.platform() != Platform.WEB) {
            return done(SendResult.rejected(Reason.INVALID_RECIPIENT, "webpush delivers to WEB devices only"));
        }
        WebPushSubscription sub = device.subscription();
        URI endpoint;
        byte[] uaKey;
        byte[] auth;
        try {
            endpoint = endpoint(sub.endpoint());
            uaKey = P256.fromBase64(sub.p256dh());
            auth = P256.fromBase64(sub.auth());
        } catch (IllegalArgumentException e) {
            return done(SendResult.rejected(Reason.INVALID_RECIPIENT, "malformed subscription: " + e.getMessage()));
        }
        try {
            guard.checkBeforeConnect(endpoint); // again at each send: the name may resolve elsewhere than at registration
        } catch (OutboundRefusedException e) {
            return done(SendResult.rejected(Reason.INVALID_RECIPIENT, "endpoint refused: " + e.getMessage()));
        } catch (java.net.UnknownHostException e) {
            return done(SendResult.failed("cannot resolve " + endpoint.getHost()));
        }
        byte[] plaintext = WebPushPayload.of(message);
        int size = WebPushEncryption.encryptedLength(plaintext.length);
        if (size > MAX_BODY_BYTES) {
            return done(SendResult.rejected(Reason.TEMPLATE_ERROR, "payload of " + plaintext.length + " bytes encrypts to " + size
                    + " bytes, over the " + MAX_BODY_BYTES + "-byte limit of Web Push; shorten the content or data"));
        }
        byte[] body;
        try {
            body = WebPushEncryption.encrypt(plaintext, uaKey, auth);
        } catch (IllegalArgumentException e) {
            return done(SendResult.rejected(Reason.INVALID_RECIPIENT, "malformed subscription keys: " + e.getMessage()));
        }
        Instant now = clock.instant();
        HttpRequest request = request(endpoint, message, body, now);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((r, error) -> error == null
                        ? WebPushResponses.map(r.statusCode(), r.headers().firstValue("Location").orElse(null),
                                r.headers().firstValue("Retry-After").orElse(null), r.body(), message.id().toString(), clock.instant())
                        : SendResult.failed("I/O error talking to " + endpoint.getHost() + ": "
                                + (error instanceof CompletionException && error.getCause() != null ? error.getCause() : error)));
    }

    private static CompletableFuture<SendResult> done(SendResult result) {
        return CompletableFuture.completedFuture(result);
    }

    private HttpRequest request(URI endpoint, OutboundMessage message, byte[] body, Instant now) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                .timeout(settings.requestTimeout())
                .header("TTL", Long.toString(ttl(message, now)))
                .header("Urgency", urgency(message.priority()))
                .header("Content-Encoding", "aes128gcm")
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", signer.authorization(endpoint))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String topic = message.content().data().get(TOPIC_KEY);
        if (topic != null && TOPIC.matcher(topic).matches()) b.header("Topic", topic);
        return b.build();
    }

    /** RFC 8030 section 5.2: seconds the push service keeps an undelivered message; 0 means now or never. */
    private long ttl(OutboundMessage message, Instant now) {
        Duration d = message.expiresAt() == null ? settings.defaultTtl() : Duration.between(now, message.expiresAt());
        return Math.max(0, d.toSeconds());
    }

    /** RFC 8030 section 5.3: lets a phone's push service hold low-urgency messages to save battery. */
    static String urgency(Priority priority) {
        return switch (priority == null ? Priority.NORMAL : priority) {
            case HIGH -> "high";
            case NORMAL -> "normal";
            case LOW -> "low";
        };
    }

    private URI endpoint(String text) {
        URI uri = URI.create(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean ok = "https".equals(scheme) || ("http".equals(scheme) && settings.allowInsecureEndpoints());
        if (!ok || uri.getHost() == null) throw new IllegalArgumentException("endpoint must be an absolute https URL");
        return uri;
    }

    @Override
    public void close() {
        if (ownsClient) http.close();
    }
}
