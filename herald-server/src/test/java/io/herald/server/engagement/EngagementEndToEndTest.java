package io.herald.server.engagement;

import io.herald.testkit.TestPostgres;
import io.herald.testkit.email.FakeSendGridServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Engagement through the real HTTP server: tracked links and the open pixel, SendGrid's signed event webhook and the
 * suppression list, status webhooks checked by an independent Standard Webhooks verifier, and analytics against
 * the history it summarises.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EngagementEndToEndTest {

    private static final String APP = "app1:app1-secret-123";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String SENDGRID_KEY = "SG.engagement-test-key";
    private static final FakeSendGridServer SENDGRID = new FakeSendGridServer(SENDGRID_KEY);
    private static final KeyPair SENDGRID_EVENTS = ecKeyPair();
    private static final WebhookReceiver OPERATOR_ALERTS = new WebhookReceiver();
    // not ServerTestBase: its contexts share one schema and run their own webhook senders, whose outbound guard
    // (loopback refused) would take and fail this test's deliveries
    private static final String OWN_SCHEMA = TestPostgres.newSchema("engagement");

    @LocalServerPort
    int port;

    record Reply(int status, JsonNode body, String raw) {
    }
    private static final String BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";
    private static final Pattern CLICK = Pattern.compile("href=[\"'][^\"']*/t/c/([A-Za-z0-9_-]+)[\"']");
    private static final Pattern OPEN = Pattern.compile("src=\"[^\"]*/t/o/([A-Za-z0-9_-]+)\"");

    @DynamicPropertySource
    static void engagement(DynamicPropertyRegistry r) {
        r.add("herald.db.url", () -> TestPostgres.URL);
        r.add("herald.db.username", () -> TestPostgres.USER);
        r.add("herald.db.schema", () -> OWN_SCHEMA);
        r.add("herald.db.pool-size", () -> "8");
        r.add("herald.bootstrap.app", () -> APP);
        r.add("herald.dispatch.defaults.poll-interval", () -> "50ms");
        r.add("herald.providers.sendgrid.base-url", () -> SENDGRID.baseUrl().toString());
        r.add("herald.providers.sendgrid.api-key", () -> SENDGRID_KEY);
        r.add("herald.providers.sendgrid.from", () -> "Herald <noreply@herald.test>");
        r.add("herald.engagement.sendgrid-event-public-key",
                () -> Base64.getEncoder().encodeToString(SENDGRID_EVENTS.getPublic().getEncoded()));
        // clicks here come right after delivery: the prefetch rule is covered by AutomatedTrafficTest
        r.add("herald.engagement.prefetch-window", () -> "0s");
        r.add("herald.engagement.rollup-interval", () -> "50ms");
        r.add("herald.engagement.webhook-poll-interval", () -> "50ms");
        r.add("herald.engagement.webhook-retry-schedule", () -> "200ms,200ms,200ms");
        r.add("herald.outbound.allowed-hosts", () -> "127.0.0.1,localhost");
        r.add("herald.alerts.webhook-url", () -> OPERATOR_ALERTS.url().toString());
    }

    @AfterAll
    static void stop() {
        SENDGRID.close();
        OPERATOR_ALERTS.close();
    }

    // the Spring context outlives the class (it is cached until the JVM ends): drop the schema after it
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                TestPostgres.dropSchema(OWN_SCHEMA);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }));
    }

    @Test
    void emailLinksAndPixelAreTrackedOnceAndRedirectOnlyToTheRewrittenUrl() throws Exception {
        String original = "https://shop.example.com/orders/42?a=1&b=2";
        String html = "<html><body><p>Your order</p><a href=\"https://shop.example.com/orders/42?a=1&amp;b=2\">Track it</a>"
                + " <a href='https://help.example.com/faq'>FAQ</a> <a href=\"mailto:help@example.com\">mail</a></body></html>";
        UUID id = sendEmail("track-" + UUID.randomUUID(), "reader@example.com", html);
        String sent = awaitHtmlSentTo("reader@example.com", id);
        assertThat(sent).doesNotContain("shop.example.com").doesNotContain("help.example.com/faq").contains("mailto:help@example.com");
        List<String> clicks = all(CLICK, sent);
        assertThat(clicks).hasSize(2);
        String pixel = all(OPEN, sent).getFirst();
        // the token carries nothing readable: no address, no URL
        assertThat(new String(Base64.getUrlDecoder().decode(clicks.getFirst()), StandardCharsets.ISO_8859_1)).doesNotContain("example");

        HttpResponse<byte[]> gif = get("/t/o/" + pixel, BROWSER);
        assertThat(gif.statusCode()).isEqualTo(200);
        assertThat(gif.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/gif");
        assertThat(get("/t/o/" + pixel, BROWSER).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> redirect = get("/t/c/" + clicks.getFirst(), BROWSER);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue(original);
        assertThat(get("/t/c/" + clicks.get(1), BROWSER).headers().firstValue("Location")).hasValue("https://help.example.com/faq");
        assertThat(io.herald.server.api.TrackingController.location("https://shop.example.com/caf\u00e9 menu?q={x}"))
                .isEqualTo("https://shop.example.com/caf%C3%A9%20menu?q={x}");
        get("/t/c/" + clicks.getFirst(), BROWSER);

        // a scanner following the link is redirected too, but recorded apart from people
        assertThat(get("/t/c/" + clicks.getFirst(), "Mimecast Security Scanner").statusCode()).isEqualTo(302);

        Reply trace = call("GET", "/v1/notifications/" + id, APP, null);
        assertThat(count(trace.body(), "OPENED", false)).isEqualTo(1);
        assertThat(count(trace.body(), "CLICKED", false)).isEqualTo(1);
        assertThat(count(trace.body(), "CLICKED", true)).isEqualTo(1);
        assertThat(trace.body().path("status").asString()).isEqualTo("DELIVERED");

        // altered, forged and misused tokens are refused and record nothing
        String altered = clicks.getFirst().substring(0, 10) + (clicks.getFirst().charAt(10) == 'A' ? 'B' : 'A')
                + clicks.getFirst().substring(11);
        assertThat(get("/t/c/" + altered, BROWSER).statusCode()).isEqualTo(404);
        assertThat(get("/t/c/" + pixel, BROWSER).statusCode()).isEqualTo(404);
        assertThat(get("/t/o/" + clicks.getFirst(), BROWSER).statusCode()).isEqualTo(404);
        assertThat(get("/t/c/" + forged(id, 1), BROWSER).statusCode()).isEqualTo(404);
        assertThat(get("/t/c/not-a-token", BROWSER).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/v1/notifications/" + id, APP, null).body().path("events").size())
                .isEqualTo(trace.body().path("events").size());
    }

    @Test
    void trackingOffLeavesLinksUntouched() throws Exception {
        try {
            assertThat(call("PUT", "/v1/tracking", APP, "{\"enabled\": false}").status()).isEqualTo(200);
            assertThat(call("GET", "/v1/tracking", APP, null).body().path("enabled").asBoolean()).isFalse();
            String html = "<html><body><a href=\"https://shop.example.com/untracked\">Go</a></body></html>";
            UUID id = sendEmail("untracked-" + UUID.randomUUID(), "private@example.com", html);
            String sent = awaitHtmlSentTo("private@example.com", id);
            assertThat(sent).contains("href=\"https://shop.example.com/untracked\"").doesNotContain("/t/c/").doesNotContain("/t/o/");
        } finally {
            call("PUT", "/v1/tracking", APP, "{\"enabled\": true}");
        }
        assertThat(call("PUT", "/v1/tracking", APP, "{\"enabled\": \"no\"}").status()).isEqualTo(400);
    }

    @Test
    void sendGridSignedEventsDeliverAndHardBouncesSuppress() throws Exception {
        String address = "bouncy-" + UUID.randomUUID() + "@example.com";
        UUID delivered = sendEmail("sg-ok-" + UUID.randomUUID(), "fine-" + address, "<p>hi</p>");
        UUID bounced = sendEmail("sg-bounce-" + UUID.randomUUID(), address, "<p>hi</p>");
        awaitHtmlSentTo(address, bounced);
        awaitHtmlSentTo("fine-" + address, delivered);
        long ts = Instant.now().getEpochSecond();
        String events = "[{\"email\":\"fine-" + address + "\",\"timestamp\":" + ts
                + ",\"event\":\"delivered\",\"herald_notification_id\":\"" + delivered + "\"},"
                + "{\"email\":\"" + address + "\",\"timestamp\":" + ts
                + ",\"event\":\"bounce\",\"type\":\"bounce\",\"reason\":\"550 5.1.1 user unknown\","
                + "\"herald_notification_id\":\"" + bounced + "\"},"
                + "{\"email\":\"fine-" + address + "\",\"timestamp\":" + ts
                + ",\"event\":\"open\",\"sg_machine_open\":true,\"herald_notification_id\":\"" + delivered + "\"},"
                + "{\"email\":\"fine-" + address + "\",\"timestamp\":" + ts + ",\"event\":\"spamreport\",\"herald_notification_id\":\""
                + delivered + "\"},"
                + "{\"email\":\"stranger@example.com\",\"timestamp\":" + ts + ",\"event\":\"delivered\"}]";
        String timestamp = Long.toString(ts);
        String signature = sign(timestamp, events);

        // a tampered body, a wrong timestamp and no signature are refused before anything is applied
        assertThat(postEvents(events.replace("delivered", "dropped"), signature, timestamp)).isEqualTo(403);
        assertThat(postEvents(events, signature, Long.toString(ts + 1))).isEqualTo(403);
        assertThat(postEvents(events, null, null)).isEqualTo(403);
        assertThat(call("GET", "/v1/notifications/" + delivered, APP, null).body().path("status").asString()).isEqualTo("SENT");

        assertThat(postEvents(events, signature, timestamp)).isEqualTo(200);
        assertThat(call("GET", "/v1/notifications/" + delivered, APP, null).body().path("status").asString()).isEqualTo("DELIVERED");
        JsonNode failed = call("GET", "/v1/notifications/" + bounced, APP, null).body();
        assertThat(failed.path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.path("reason").asString()).isEqualTo("INVALID_RECIPIENT");

        JsonNode list = call("GET", "/v1/suppressions?limit=500", APP, null).body();
        assertThat(list.path("items").valueStream().map(i -> i.path("address").asString() + " " + i.path("reason").asString()))
                .contains(address + " HARD_BOUNCE", "fine-" + address + " COMPLAINT");
        JsonNode machineOpen = call("GET", "/v1/notifications/" + delivered, APP, null).body();
        assertThat(machineOpen.path("events").valueStream().filter(e -> e.path("status").asString().equals("OPENED"))
                .map(e -> e.path("detail").asString())).containsExactly("sendgrid: machine open");
        Reply again = call("POST", "/v1/notifications", APP, emailBody("sg-again-" + UUID.randomUUID(), address.toUpperCase(), "<p>x</p>"));
        assertThat(again.body().path("notifications").get(0).path("status").asString()).isEqualTo("SUPPRESSED");
        assertThat(again.body().path("notifications").get(0).path("reason").asString()).isEqualTo("INVALID_RECIPIENT");

        assertThat(call("DELETE", "/v1/suppressions/" + address, APP, null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/v1/suppressions/" + address, APP, null).status()).isEqualTo(404);
        Reply after = call("POST", "/v1/notifications", APP, emailBody("sg-after-" + UUID.randomUUID(), address, "<p>x</p>"));
        assertThat(after.body().path("notifications").get(0).path("status").asString()).isEqualTo("QUEUED");
    }

    @Test
    void statusWebhooksAreSignedAndRetriedUntilAccepted() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String eventId = "hook-" + UUID.randomUUID();
            receiver.answerFor(eventId, 500);
            Reply created = call("POST", "/v1/webhooks", APP, "{\"url\": \"" + receiver.url() + "\", \"events\": [\"notification.sent\"]}");
            assertThat(created.status()).isEqualTo(201);
            String secret = created.body().path("secret").asString();
            String hookId = created.body().path("id").asString();
            assertThat(secret).startsWith("whsec_");
            assertThat(call("GET", "/v1/webhooks", APP, null).raw()).contains(hookId).doesNotContain(secret);
            try {
                UUID id = sendEmail(eventId, "hooked@example.com", "<p>hi</p>");
                List<WebhookReceiver.Received> got = awaitValue(() -> {
                    var mine = receiver.received().stream().filter(r -> r.body().contains(id.toString())).toList();
                    return mine.size() >= 2 ? mine : null;
                }, () -> "notification " + call("GET", "/v1/notifications/" + id, APP, null).raw() + "\nwebhook "
                        + call("GET", "/v1/webhooks/" + hookId, APP, null).raw() + "\nreceived " + receiver.received());
                assertThat(got.get(0).answered()).isEqualTo(500);
                assertThat(got.get(1).answered()).isEqualTo(200);
                assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
                for (var r : got) {
                    assertThat(StandardWebhookVerifier.verify(secret, r.id(), r.timestamp(), r.signature(), r.body(), Instant.now()))
                            .isTrue();
                    assertThat(StandardWebhookVerifier.verify(secret, r.id(), r.timestamp(), r.signature(),
                            r.body().replace("SENT", "FAILED"), Instant.now())).isFalse();
                }
                JsonNode payload = JSON.readTree(got.get(1).body());
                assertThat(payload.path("type").asString()).isEqualTo("notification.sent");
                assertThat(payload.path("data").path("id").asString()).isEqualTo(id.toString());
                // no further attempt once accepted
                JsonNode status = awaitValue(() -> {
                    JsonNode s = call("GET", "/v1/webhooks/" + hookId, APP, null).body();
                    return s.path("deliveries").path("pending").asLong() == 0 ? s : null;
                });
                assertThat(status.path("deliveries").path("delivered").asLong()).isGreaterThanOrEqualTo(1);
            } finally {
                assertThat(call("DELETE", "/v1/webhooks/" + hookId, APP, null).status()).isEqualTo(204);
            }
        }
        // the guard: no internal addresses, no plain http outside the allowed hosts, known event types only
        assertThat(call("POST", "/v1/webhooks", APP, "{\"url\": \"http://10.0.0.8/hook\", \"events\": [\"notification.sent\"]}").status())
                .isEqualTo(422);
        assertThat(call("POST", "/v1/webhooks", APP, "{\"url\": \"https://169.254.169.254/hook\", \"events\": [\"notification.sent\"]}")
                .status()).isEqualTo(422);
        assertThat(call("POST", "/v1/webhooks", APP, "{\"url\": \"https://hooks.example.com/x\", \"events\": [\"notification.exploded\"]}")
                .status()).isEqualTo(422);
        assertThat(call("POST", "/v1/webhooks", APP, "{\"url\": 42, \"events\": [\"notification.sent\"]}").status()).isEqualTo(400);
        // credentials in the URL would be stored and listed in plain text: refused (deliveries are signed instead)
        Reply withPassword = call("POST", "/v1/webhooks", APP,
                "{\"url\": \"https://ops:s3cret@hooks.example.com/x\", \"events\": [\"notification.sent\"]}");
        assertThat(withPassword.status()).isEqualTo(422);
        assertThat(withPassword.raw()).contains("credentials").doesNotContain("s3cret");
    }

    @Test
    void anEndpointFailingForTheWholeScheduleIsDisabledWithAnAlertAndReplayedOnRequest() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.otherwise(503);
            Reply created = call("POST", "/v1/webhooks", APP, "{\"url\": \"" + receiver.url() + "\", \"events\": [\"notification.sent\"]}");
            String hookId = created.body().path("id").asString();
            try {
                UUID id = sendEmail("dead-hook-" + UUID.randomUUID(), "dead@example.com", "<p>hi</p>");
                JsonNode disabled = awaitValue(() -> {
                    JsonNode h = call("GET", "/v1/webhooks/" + hookId, APP, null).body();
                    return h.path("enabled").asBoolean(true) ? null : h;
                });
                assertThat(disabled.path("disabledReason").asString()).contains("503");
                assertThat(disabled.path("deliveries").path("failed").asLong()).isGreaterThanOrEqualTo(1);
                // 1 attempt + 3 retries on the schedule, then no more
                long attempts = receiver.received().stream().filter(r -> r.body().contains(id.toString())).count();
                assertThat(attempts).isEqualTo(4);
                awaitValue(() -> OPERATOR_ALERTS.received().stream()
                        .filter(a -> a.body().contains("webhook_disabled") && a.body().contains(hookId))
                        .findFirst().orElse(null));

                receiver.otherwise(200);
                Reply replay = call("POST", "/v1/webhooks/" + hookId + "/replay", APP, "{}");
                assertThat(replay.status()).isEqualTo(202);
                assertThat(replay.body().path("replayed").asInt()).isGreaterThanOrEqualTo(1);
                awaitValue(() -> receiver.received().stream().filter(r -> r.answered() == 200 && r.body().contains(id.toString()))
                        .findFirst().orElse(null));
                assertThat(call("GET", "/v1/webhooks/" + hookId, APP, null).body().path("enabled").asBoolean()).isTrue();
                assertThat(call("POST", "/v1/webhooks/" + hookId + "/replay", APP, "{\"since\": \"yesterday\"}").status()).isEqualTo(422);
                assertThat(call("POST", "/v1/webhooks/" + UUID.randomUUID() + "/replay", APP, "{}").status()).isEqualTo(404);
            } finally {
                call("DELETE", "/v1/webhooks/" + hookId, APP, null);
            }
        }
    }

    @Test
    void analyticsEqualTheEventsTheySummarise() throws Exception {
        String category = "analytics-" + UUID.randomUUID().toString().substring(0, 8);
        Instant from = Instant.now().minus(Duration.ofHours(1));
        int n = 24;
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 6 == 5) SENDGRID.enqueue(FakeSendGridServer.Reply.badRequest("content", "rejected by the test"));
            String body = "{\"eventId\": \"an-" + category + "-" + i + "\", \"to\": {\"email\": \"a" + i
                    + "@example.com\"}, \"category\": \"" + category
                    + "\", \"content\": {\"subject\": \"s\", \"html\": \"<p>x</p>\"}}";
            Reply r = call("POST", "/v1/notifications", APP, body);
            assertThat(r.status()).isEqualTo(202);
            ids.add(UUID.fromString(r.body().path("notifications").get(0).path("id").asString()));
            awaitValue(() -> {
                String st = call("GET", "/v1/notifications/" + ids.getLast(), APP, null).body().path("status").asString();
                return st.equals("SENT") || st.equals("FAILED") ? st : null;
            });
        }
        for (int i = 0; i < n; i++) {
            if (i % 6 == 5) continue;
            if (i % 2 == 0) track(ids.get(i), "DELIVERED");
            if (i % 3 == 0) track(ids.get(i), "OPENED");
            if (i % 4 == 0) track(ids.get(i), "CLICKED");
            if (i % 8 == 0) track(ids.get(i), "CONVERTED");
        }
        Map<String, Long> truth = history(category);
        assertThat(truth.get("SENT")).as(truth.toString()).isEqualTo(20L);
        String filter = "/v1/analytics?category=" + category + "&from=" + from;
        String query = filter + "&interval=PT1H";
        JsonNode a = awaitValue(() -> {
            JsonNode body = call("GET", query, APP, null).body();
            JsonNode t = body.path("totals");
            boolean done = t.path("sent").asLong() == truth.getOrDefault("SENT", 0L)
                    && t.path("delivered").asLong() == truth.getOrDefault("DELIVERED", 0L)
                    && t.path("opened").asLong() == truth.getOrDefault("OPENED", 0L)
                    && t.path("clicked").asLong() == truth.getOrDefault("CLICKED", 0L)
                    && t.path("converted").asLong() == truth.getOrDefault("CONVERTED", 0L)
                    && t.path("failed").path("PROVIDER_REJECTED").asLong() == truth.getOrDefault("FAILED:PROVIDER_REJECTED", 0L);
            return done ? body : null;
        });
        JsonNode totals = a.path("totals");
        assertThat(totals.path("failed").path("PROVIDER_REJECTED").asLong()).isEqualTo(4);
        assertThat(totals.path("rates").path("delivery").asDouble())
                .isEqualTo(Math.round(truth.get("DELIVERED") * 10000.0 / truth.get("SENT")) / 10000.0);
        long bucketSent = 0, bucketOpened = 0;
        for (JsonNode b : a.path("buckets")) {
            bucketSent += b.path("sent").asLong();
            bucketOpened += b.path("opened").asLong();
        }
        assertThat(bucketSent).isEqualTo(totals.path("sent").asLong());
        assertThat(bucketOpened).isEqualTo(totals.path("opened").asLong());
        // other filters partition the same figures
        assertThat(call("GET", query + "&channel=SMS", APP, null).body().path("totals").path("sent").asLong()).isZero();
        assertThat(call("GET", filter + "&channel=EMAIL&interval=PT24H", APP, null).body().path("totals").path("sent").asLong())
                .isEqualTo(totals.path("sent").asLong());
        // bad parameters name themselves
        assertThat(call("GET", "/v1/analytics?interval=PT30M", APP, null).status()).isEqualTo(400);
        assertThat(call("GET", "/v1/analytics?from=yesterday", APP, null).body().path("errors").get(0).path("field").asString())
                .isEqualTo("from");
        assertThat(call("GET", "/v1/analytics?channel=FAX", APP, null).status()).isEqualTo(400);

        // a conversion naming the eventId goes to the clicked notification of that event
        Reply conv = call("POST", "/v1/conversions", APP, "{\"eventId\": \"an-" + category + "-4\"}");
        assertThat(conv.status()).isEqualTo(202);
        assertThat(conv.body().path("notificationId").asString()).isEqualTo(ids.get(4).toString());
        assertThat(call("POST", "/v1/conversions", APP, "{\"eventId\": \"never-sent-" + category + "\"}").status()).isEqualTo(422);
    }

    // --- helpers

    private Reply call(String method, String path, String credentials, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            boolean json = r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isEmpty();
            return new Reply(r.statusCode(), json ? JSON.readTree(r.body()) : null, r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void track(UUID id, String type) {
        assertThat(call("POST", "/v1/notifications/" + id + "/events", APP, "{\"type\": \"" + type + "\"}").status()).isEqualTo(202);
    }

    /** Counts of the underlying history, straight from the database: status, or FAILED:reason. */
    private static Map<String, Long> history(String category) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", TestPostgres.USER);
        Map<String, Long> m = new HashMap<>();
        try (Connection c = DriverManager.getConnection(TestPostgres.urlFor(OWN_SCHEMA), p);
                var ps = c.prepareStatement("""
                        SELECT e.status, e.reason, count(*) FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                        WHERE n.category = ? AND NOT e.automated GROUP BY e.status, e.reason""")) {
            ps.setString(1, category);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1).equals("FAILED") ? "FAILED:" + rs.getString(2) : rs.getString(1);
                    m.merge(key, rs.getLong(3), Long::sum);
                }
            }
        }
        return m;
    }

    private UUID sendEmail(String eventId, String to, String html) {
        Reply r = call("POST", "/v1/notifications", APP, emailBody(eventId, to, html));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return UUID.fromString(r.body().path("notifications").get(0).path("id").asString());
    }

    private static String emailBody(String eventId, String to, String html) {
        var root = JSON.createObjectNode();
        root.put("eventId", eventId);
        root.putObject("to").put("email", to);
        root.putObject("content").put("subject", "Hello").put("html", html);
        return JSON.writeValueAsString(root);
    }

    private String awaitHtmlSentTo(String address, UUID id) {
        return awaitValue(() -> SENDGRID.accepted().stream()
                .filter(r -> r.json().path("custom_args").path("herald_notification_id").asString("").equals(id.toString()))
                .map(r -> r.json().path("content").valueStream().filter(c -> c.path("type").asString().equals("text/html"))
                        .findFirst().map(c -> c.path("value").asString()).orElse(""))
                .findFirst().orElse(null));
    }

    private static <T> T awaitValue(Supplier<T> probe) {
        return awaitValue(probe, () -> "");
    }

    /** @param seen what the failure message shows of the state, so a timeout explains itself */
    private static <T> T awaitValue(Supplier<T> probe, Supplier<String> seen) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            T v = probe.get();
            if (v != null) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 60 s; " + seen.get());
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private HttpResponse<byte[]> get(String path, String userAgent) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("User-Agent", userAgent).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private int postEvents(String body, String signature, String timestamp) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/webhooks/sendgrid/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) b.header("X-Twilio-Email-Event-Webhook-Signature", signature);
        if (timestamp != null) b.header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String sign(String timestamp, String body) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(SENDGRID_EVENTS.getPrivate());
        s.update((timestamp + body).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    /** A well-formed token signed with another key. */
    private static String forged(UUID id, int index) {
        return new io.herald.core.engagement.TrackingTokens("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8))
                .sign(new io.herald.core.engagement.TrackingTokens.Link(io.herald.core.engagement.TrackingTokens.Kind.CLICK, id, index));
    }

    private static long count(JsonNode trace, String status, boolean automated) {
        return trace.path("events").valueStream().filter(e -> e.path("status").asString().equals(status))
                .filter(e -> e.path("detail").asString("").startsWith("automated") == automated).count();
    }

    private static List<String> all(Pattern p, String s) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) found.add(m.group(1));
        return found;
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
