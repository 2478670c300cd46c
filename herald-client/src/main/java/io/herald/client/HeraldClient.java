package io.herald.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.client.HttpTransport.Answer;
import io.herald.client.HttpTransport.Repeat;
import io.herald.client.model.Analytics;
import io.herald.client.model.AnalyticsQuery;
import io.herald.client.model.BatchItemResult;
import io.herald.client.model.BatchResult;
import io.herald.client.model.Conversion;
import io.herald.client.model.Device;
import io.herald.client.model.DeviceTarget;
import io.herald.client.model.ImportResult;
import io.herald.client.model.ImportedUser;
import io.herald.client.model.InboxToken;
import io.herald.client.model.Notification;
import io.herald.client.model.NotificationQuery;
import io.herald.client.model.Page;
import io.herald.client.model.Preferences;
import io.herald.client.model.Saved;
import io.herald.client.model.SendReceipt;
import io.herald.client.model.SendRequest;
import io.herald.client.model.Status;
import io.herald.client.model.Suppression;
import io.herald.client.model.Topic;
import io.herald.client.model.TrackingEvent;
import io.herald.client.model.TrackingEventType;
import io.herald.client.model.TrackingReceipt;
import io.herald.client.model.User;
import io.herald.client.model.UserProfile;
import io.herald.client.model.Webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * A client app's connection to Herald's HTTP API (v1): sends, users, devices, preferences, traces, cancellation,
 * tracking events and inbox tokens.
 *
 * <pre>{@code
 * HeraldClient herald = HeraldClient.builder()
 *         .baseUrl("https://herald.internal:8080")
 *         .credentials(System.getenv("HERALD_APP_KEY"), System.getenv("HERALD_APP_SECRET"))
 *         .build();
 * SendReceipt receipt = herald.send(SendRequest.builder("order-123-ready")
 *         .userId("u-42").template("order_ready").data("item_name", "Latte").build());
 * }</pre>
 *
 * <p><b>Thread safety:</b> a client is immutable and safe for concurrent use by any number of threads; create one per
 * Herald and app and share it (it holds one {@link HttpClient} and its connection pool). Calls block the calling
 * thread; they suit virtual threads well.
 *
 * <p><b>Errors:</b> an error answer is thrown as a {@link HeraldProblemException} subclass for its status
 * ({@link ValidationException} with field errors, {@link NotFoundException}, ...); no usable answer as a
 * {@link HeraldTransportException}. Both extend {@link HeraldException}, a {@link RuntimeException}.
 *
 * <p><b>Retries:</b> see {@link RetryPolicy}. Sends are retried with the same eventId, which Herald deduplicates,
 * so a send that went through before a timeout is not sent twice; its receipt then says {@code replayed()}.
 *
 * <p>Topics and broadcasts are not in this version of the client.
 */
public final class HeraldClient {

    /** This library's version, as in its Maven coordinates. */
    public static final String VERSION = readVersion();

    private final HttpTransport transport;

    private HeraldClient(HttpTransport transport) {
        this.transport = transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- sending

    /**
     * Sends one notification ({@code POST /v1/notifications}): to a user, to a one-off recipient ({@code to}), now or
     * at {@code sendAt}. Retried with the same eventId on timeouts, connection failures, 429 and 503.
     *
     * @return the receipt: one notification per channel and target; {@code replayed()} when the eventId had been
     * accepted before
     * @throws ValidationException naming each invalid field; nothing was stored
     */
    public SendReceipt send(SendRequest request) {
        Objects.requireNonNull(request, "request");
        Answer a = transport.call("POST", "/v1/notifications", Json.write(request), Repeat.SAFE);
        return receipt(a.json(), a.status());
    }

    /**
     * Sends up to the server's batch limit (1000 by default) notifications in one call
     * ({@code POST /v1/notifications/batch}). Each item succeeds or fails alone; the results are in request order.
     * Retried like {@link #send}: every item carries its own eventId.
     *
     * @throws ValidationException when the batch itself is invalid (e.g. too many items)
     * @throws PayloadTooLargeException when the body is over the server's size limit
     */
    public BatchResult sendBatch(List<SendRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notifications", requests);
        JsonNode results = transport.call("POST", "/v1/notifications/batch", Json.write(body), Repeat.SAFE).json().path("results");
        List<BatchItemResult> out = new ArrayList<>();
        for (JsonNode item : results) {
            int status = item.path("status").asInt();
            if (item.has("notifications")) out.add(new BatchItemResult(status, receipt(item, status), null));
            else
                out.add(new BatchItemResult(status, null, Json.problem(item, status)));
        }
        if (out.size() != requests.size()) {
            throw new HeraldTransportException("Herald answered " + out.size() + " batch results for " + requests.size() + " items", null,
                    false, 1);
        }
        return new BatchResult(out);
    }

    private static SendReceipt receipt(JsonNode node, int status) {
        return convert(node, SendReceipt.class).withReplayed(status == 200);
    }

    // ---- users

    /**
     * Creates or replaces a user's profile ({@code PUT /v1/users/{userId}}); fields left null are cleared.
     *
     * @return the stored user, and whether this call created it
     * @throws ValidationException for an invalid email, phone number, locale or timezone; nothing was stored
     */
    public Saved<User> putUser(String userId, UserProfile profile) {
        Objects.requireNonNull(profile, "profile");
        Answer a = transport.call("PUT", user(userId), Json.write(profile), Repeat.SAFE);
        return new Saved<>(convert(a.json(), User.class), a.status() == 201);
    }

    /** @throws NotFoundException when the app has no such user */
    public User getUser(String userId) {
        return convert(transport.call("GET", user(userId), null, Repeat.SAFE).json(), User.class);
    }

    /**
     * Erases a user: contacts, devices and preferences ({@code DELETE /v1/users/{userId}}); the delivery history is
     * kept with personal data redacted.
     *
     * @return false when there was no such user (never created, or already deleted, e.g. by a retried attempt)
     */
    public boolean deleteUser(String userId) {
        return deleteIfPresent(user(userId));
    }

    // ---- devices

    /**
     * Registers a device for a user ({@code POST /v1/users/{userId}/devices}). Registering the same token or
     * subscription again is idempotent and answers the existing device.
     *
     * @return the device, and whether this call created it
     */
    public Saved<Device> registerDevice(String userId, DeviceTarget device) {
        Objects.requireNonNull(device, "device");
        Answer a = transport.call("POST", user(userId) + "/devices", Json.write(device), Repeat.SAFE);
        return new Saved<>(convert(a.json(), Device.class), a.status() == 201);
    }

    /** The user's devices, active or not. @throws NotFoundException when the app has no such user */
    public List<Device> listDevices(String userId) {
        JsonNode items = transport.call("GET", user(userId) + "/devices", null, Repeat.SAFE).json().path("items");
        return convert(items, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Device.class));
    }

    /** Removes a device. @return false when the user has no such device (or it was already removed) */
    public boolean deleteDevice(String userId, UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return deleteIfPresent(user(userId) + "/devices/" + deviceId);
    }

    // ---- preferences

    /** The user's preferences. @throws NotFoundException when the app has no such user */
    public Preferences getPreferences(String userId) {
        return convert(transport.call("GET", user(userId) + "/preferences", null, Repeat.SAFE).json(), Preferences.class);
    }

    /**
     * Replaces the user's preferences as a whole.
     *
     * @return the preferences as stored
     * @throws NotFoundException   when the app has no such user
     * @throws ValidationException naming each invalid entry
     */
    public Preferences putPreferences(String userId, Preferences preferences) {
        Objects.requireNonNull(preferences, "preferences");
        return convert(transport.call("PUT", user(userId) + "/preferences", Json.write(preferences), Repeat.SAFE).json(),
                Preferences.class);
    }

    // ---- traces and control

    /** The trace of one notification, with its history. @throws NotFoundException when the app has no such notification */
    public Notification getNotification(UUID id) {
        Objects.requireNonNull(id, "id");
        return convert(transport.call("GET", "/v1/notifications/" + id, null, Repeat.SAFE).json(), Notification.class);
    }

    /** One page of notifications matching the query, newest first; continue with {@code query.withCursor(page.nextCursor())}. */
    public Page<Notification> searchNotifications(NotificationQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder q = new StringBuilder();
        param(q, "userId", query.userId());
        param(q, "eventId", query.eventId());
        param(q, "status", query.status());
        param(q, "channel", query.channel());
        param(q, "from", query.from());
        param(q, "to", query.to());
        param(q, "limit", query.limit());
        param(q, "cursor", query.cursor());
        JsonNode page = transport.call("GET", "/v1/notifications" + q, null, Repeat.SAFE).json();
        List<Notification> items = convert(page.path("items"),
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Notification.class));
        return new Page<>(items, Json.text(page, "nextCursor"));
    }

    /**
     * Every notification matching the query, newest first, fetched a page at a time as the iteration proceeds
     * (page size: the query's limit).
     */
    public PagedIterable<Notification> listNotifications(NotificationQuery query) {
        Objects.requireNonNull(query, "query");
        return new PagedIterable<>(query.cursor(), cursor -> searchNotifications(query.withCursor(cursor)));
    }

    /**
     * Cancels a notification that is still SCHEDULED or QUEUED ({@code DELETE /v1/notifications/{id}}). Cancelling
     * one that is already CANCELLED returns it, so a retried cancel is harmless.
     *
     * @return the notification, now CANCELLED
     * @throws ConflictException when it is already sending or done
     * @throws NotFoundException when the app has no such notification
     */
    public Notification cancel(UUID id) {
        Objects.requireNonNull(id, "id");
        try {
            return convert(transport.call("DELETE", "/v1/notifications/" + id, null, Repeat.SAFE).json(), Notification.class);
        } catch (ConflictException e) {
            Notification now = getNotification(id);
            if (now.status() == Status.CANCELLED) return now;
            throw e;
        }
    }

    /**
     * Records an engagement event on a notification ({@code POST /v1/notifications/{id}/events}). Not idempotent:
     * retried only when Herald certainly did not act (see {@link RetryPolicy}).
     *
     * @throws NotFoundException when the app has no such notification
     */
    public TrackingReceipt trackEvent(UUID id, TrackingEvent event) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        return convert(transport.call("POST", "/v1/notifications/" + id + "/events", Json.write(event), Repeat.UNSAFE).json(),
                TrackingReceipt.class);
    }

    /** Records an engagement event that happened now. */
    public TrackingReceipt trackEvent(UUID id, TrackingEventType type) {
        return trackEvent(id, TrackingEvent.of(type));
    }

    // ---- inbox

    /**
     * Mints a token for the user's in-app inbox ({@code POST /v1/users/{userId}/inbox-token}), to hand to that user's
     * browser or app. Each call mints a new token; it is retried only when Herald certainly did not act.
     */
    public InboxToken createInboxToken(String userId) {
        return convert(transport.call("POST", user(userId) + "/inbox-token", null, Repeat.UNSAFE).json(), InboxToken.class);
    }

    // ---- bulk users and topics

    /**
     * Imports up to the server's batch limit (1000 by default) users in one call ({@code POST /v1/users/batch}), each
     * with devices and topics, stored in one transaction. Each item succeeds or fails alone; re-sending is harmless.
     *
     * @return one result per user, in request order
     */
    public List<ImportResult> importUsers(List<ImportedUser> users) {
        Objects.requireNonNull(users, "users");
        JsonNode results = transport.call("POST", "/v1/users/batch", Json.write(Map.of("users", users)), Repeat.SAFE).json()
                .path("results");
        List<ImportResult> out = new ArrayList<>();
        for (JsonNode item : results) {
            int status = item.path("status").asInt();
            if (status == 200 || status == 201) out.add(new ImportResult(status, item.path("userId").asText(), status == 201, null));
            else
                out.add(new ImportResult(status, null, false, Json.problem(item, status)));
        }
        if (out.size() != users.size()) {
            throw new HeraldTransportException("Herald answered " + out.size() + " import results for " + users.size() + " users", null,
                    false, 1);
        }
        return out;
    }

    /** Creates or renames a topic ({@code PUT /v1/topics/{key}}). @return the topic, and whether this call created it */
    public Saved<Topic> putTopic(String key, String name) {
        Objects.requireNonNull(name, "name");
        Answer a = transport.call("PUT", topic(key), Json.write(Map.of("name", name)), Repeat.SAFE);
        return new Saved<>(convert(a.json(), Topic.class), a.status() == 201);
    }

    /** Every topic of the app, fetched page by page. */
    public List<Topic> listTopics() {
        List<Topic> all = new ArrayList<>();
        String cursor = null;
        do {
            StringBuilder q = new StringBuilder();
            param(q, "limit", 500);
            param(q, "cursor", cursor);
            JsonNode page = transport.call("GET", "/v1/topics" + q, null, Repeat.SAFE).json();
            for (JsonNode t : page.path("items")) all.add(convert(t, Topic.class));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    /** Deletes a topic and its subscriptions. @return false when there was no such topic */
    public boolean deleteTopic(String key) {
        return deleteIfPresent(topic(key));
    }

    /**
     * Subscribes up to 1000 users to a topic ({@code POST /v1/topics/{key}/subscribers}); subscribing again is harmless.
     *
     * @return how many subscriptions are new
     * @throws NotFoundException when there is no such topic
     */
    public int subscribe(String key, List<String> userIds) {
        Objects.requireNonNull(userIds, "userIds");
        return transport.call("POST", topic(key) + "/subscribers", Json.write(Map.of("userIds", userIds)), Repeat.SAFE).json().path("added")
                .asInt();
    }

    /** @return false when the user was not subscribed */
    public boolean unsubscribe(String key, String userId) {
        return deleteIfPresent(topic(key) + "/subscribers/" + UrlPaths.segment("userId", userId));
    }

    /** The topic's subscribers (userIds in order), fetched page by page. */
    public List<String> subscribers(String key) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            StringBuilder q = new StringBuilder();
            param(q, "limit", 500);
            param(q, "cursor", cursor);
            JsonNode page = transport.call("GET", topic(key) + "/subscribers" + q, null, Repeat.SAFE).json();
            for (JsonNode s : page.path("items")) all.add(s.path("userId").asText());
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    private static String topic(String key) {
        return "/v1/topics/" + UrlPaths.segment("key", key);
    }

    // ---- engagement

    /**
     * Subscribes a status webhook ({@code POST /v1/webhooks}) to event types such as {@code notification.delivered}.
     * The answer carries the signing secret, shown this once. Not idempotent: retried only when Herald certainly did
     * not act.
     */
    public Webhook createWebhook(String url, List<String> events) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(events, "events");
        return convert(transport.call("POST", "/v1/webhooks", Json.write(Map.of("url", url, "events", events)), Repeat.UNSAFE).json(),
                Webhook.class);
    }

    public List<Webhook> listWebhooks() {
        JsonNode items = transport.call("GET", "/v1/webhooks", null, Repeat.SAFE).json().path("items");
        return convert(items, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Webhook.class));
    }

    /** One webhook with its delivery counts. @throws NotFoundException when the app has no such webhook */
    public Webhook getWebhook(UUID id) {
        return convert(transport.call("GET", "/v1/webhooks/" + id, null, Repeat.SAFE).json(), Webhook.class);
    }

    /** @return false when the app has no such webhook (or it was already deleted) */
    public boolean deleteWebhook(UUID id) {
        return deleteIfPresent("/v1/webhooks/" + id);
    }

    /**
     * Sends the failed deliveries again, or with {@code since} every delivery from then on, and re-enables a disabled
     * webhook. @return how many deliveries were queued again
     */
    public int replayWebhook(UUID id, Instant since) {
        Map<String, String> body = since == null ? Map.of() : Map.of("since", since.toString());
        return transport.call("POST", "/v1/webhooks/" + id + "/replay", Json.write(body), Repeat.SAFE).json().path("replayed").asInt();
    }

    /** Figures per bucket and totals from Herald's rollups ({@code GET /v1/analytics}). */
    public Analytics analytics(AnalyticsQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder q = new StringBuilder();
        param(q, "template", query.template());
        param(q, "campaign", query.campaign());
        param(q, "channel", query.channel());
        param(q, "category", query.category());
        param(q, "from", query.from());
        param(q, "to", query.to());
        param(q, "interval", query.interval());
        return convert(transport.call("GET", "/v1/analytics" + q, null, Repeat.SAFE).json(), Analytics.class);
    }

    /** One page of the app's suppressed addresses, in address order; cursor null for the first page. */
    public Page<Suppression> listSuppressions(String cursor, Integer limit) {
        StringBuilder q = new StringBuilder();
        param(q, "cursor", cursor);
        param(q, "limit", limit);
        JsonNode page = transport.call("GET", "/v1/suppressions" + q, null, Repeat.SAFE).json();
        List<Suppression> items = convert(page.path("items"),
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Suppression.class));
        return new Page<>(items, Json.text(page, "nextCursor"));
    }

    /** Lets Herald email the address again. @return false when it was not suppressed */
    public boolean deleteSuppression(String address) {
        return deleteIfPresent("/v1/suppressions/" + UrlPaths.segment("address", address));
    }

    /**
     * Reports a conversion of the send {@code eventId} ({@code POST /v1/conversions}); Herald credits the notification
     * of that send the user clicked, else opened, else the latest. Not idempotent: retried only when Herald certainly
     * did not act.
     */
    public Conversion recordConversion(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return convert(transport.call("POST", "/v1/conversions", Json.write(Map.of("eventId", eventId)), Repeat.UNSAFE).json(),
                Conversion.class);
    }

    // ---- helpers

    private static String user(String userId) {
        return "/v1/users/" + UrlPaths.segment("userId", userId);
    }

    private boolean deleteIfPresent(String path) {
        try {
            transport.call("DELETE", path, null, Repeat.SAFE);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void param(StringBuilder q, String name, Object value) {
        if (value == null) return;
        q.append(q.length() == 0 ? '?' : '&').append(name).append('=').append(UrlPaths.encode(value.toString()));
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        return convert(node, Json.MAPPER.getTypeFactory().constructType(type));
    }

    private static <T> T convert(JsonNode node, JavaType type) {
        try {
            return Json.MAPPER.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            throw new HeraldTransportException("Herald's answer does not have the expected shape: " + e.getMessage(), e, false, 1);
        }
    }

    private static String readVersion() {
        try (InputStream in = HeraldClient.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Configures a {@link HeraldClient}. Required: {@link #baseUrl} and {@link #credentials}. Not thread-safe; the
     * client it builds is.
     */
    public static final class Builder {
        private URI baseUrl;
        private String appKey;
        private String appSecret;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Executor executor;
        private HttpClient httpClient;
        private Sleeper sleeper = Sleeper.threadSleep();
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random;

        private Builder() {
        }

        /** Where Herald listens, e.g. {@code https://herald.internal:8080} (a path prefix is kept). */
        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl")));
        }

        public Builder baseUrl(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (baseUrl.getScheme() == null || baseUrl.getHost() == null
                    || !(baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https"))) {
                throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL; got " + baseUrl);
            }
            if (baseUrl.getQuery() != null || baseUrl.getFragment() != null)
                throw new IllegalArgumentException("baseUrl must not have a query or fragment");
            this.baseUrl = baseUrl;
            return this;
        }

        /** The app's key and secret (from the environment or a secret store, never from source code). */
        public Builder credentials(String appKey, String appSecret) {
            this.appKey = Objects.requireNonNull(appKey, "appKey");
            this.appSecret = Objects.requireNonNull(appSecret, "appSecret");
            if (appKey.contains(":")) throw new IllegalArgumentException("appKey must not contain ':'");
            return this;
        }

        /** How long to wait for a connection to Herald (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long one attempt may take until the answer's headers arrive (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** When and how calls are retried (default {@link RetryPolicy#DEFAULT}; {@link RetryPolicy#NONE} to never retry). */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** The executor of the underlying {@link HttpClient} (default: its own). Ignored with {@link #httpClient}. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * A ready {@link HttpClient} (custom TLS, proxy); then {@link #connectTimeout} and {@link #executor} are its
         * business. The request timeout still applies.
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** How to wait between retries (default: sleep the calling thread); for tests. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The clock that turns a Retry-After date into a delay (default: the system clock); for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of backoff jitter (default: {@code ThreadLocalRandom}); for tests. Shared by all threads of the client. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public HeraldClient build() {
            if (baseUrl == null) throw new IllegalStateException("baseUrl is required");
            if (appKey == null) throw new IllegalStateException("credentials are required");
            HttpClient http = httpClient;
            if (http == null) {
                HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
                if (executor != null) b.executor(executor);
                http = b.build();
            }
            String base = baseUrl.toString();
            while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
            String authorization = "Basic "
                    + Base64.getEncoder().encodeToString((appKey + ":" + appSecret).getBytes(StandardCharsets.UTF_8));
            String userAgent = "herald-client/" + VERSION + " java/" + System.getProperty("java.version");
            return new HeraldClient(new HttpTransport(http, base, authorization, userAgent, requestTimeout, retryPolicy, sleeper, clock,
                    random));
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(name + " must be positive");
            return d;
        }
    }
}
