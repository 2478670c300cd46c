package io.herald.client;

import io.herald.client.ScriptedHerald.Reply;
import io.herald.client.model.Channel;
import io.herald.client.model.Content;
import io.herald.client.model.NotificationQuery;
import io.herald.client.model.Reason;
import io.herald.client.model.SendReceipt;
import io.herald.client.model.SendRequest;
import io.herald.client.model.Status;
import io.herald.client.model.TrackingEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Retries, timeouts and error mapping against a scripted loopback peer, with a recording sleeper: no real waits
 * except the one request timeout test.
 */
class ClientRetryAndErrorsTest {

    private static final String RECEIPT = """
            {"eventId":"order-1","notifications":[{"id":"%s","channel":"EMAIL","target":"a***@example.com","status":"QUEUED"}]}"""
            .formatted(UUID.randomUUID());

    private final ScriptedHerald herald = new ScriptedHerald();
    private final List<Duration> slept = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        herald.close();
    }

    private HeraldClient.Builder client() {
        return HeraldClient.builder().baseUrl(herald.baseUrl()).credentials("app1", "s3cret:with-colon")
                .sleeper(slept::add).random(fixedJitter(0.5));
    }

    private static RandomGenerator fixedJitter(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static SendRequest order() {
        return SendRequest.builder("order-1").userId("u-42").channels(Channel.EMAIL)
                .content(Content.builder().subject("Your order").text("Ready").build()).build();
    }

    @Test
    void aSendAnswered503WithRetryAfterIsRetriedAfterThatDelayWithTheSameEventId() {
        herald.then(Reply.problem(503, "2", "{\"type\":\"about:blank\",\"title\":\"Service unavailable\",\"status\":503}"),
                Reply.json(202, RECEIPT));

        SendReceipt receipt = client().build().send(order());

        assertThat(receipt.eventId()).isEqualTo("order-1");
        assertThat(receipt.replayed()).isFalse();
        assertThat(receipt.notifications()).singleElement().satisfies(n -> {
            assertThat(n.channel()).isEqualTo(Channel.EMAIL);
            assertThat(n.status()).isEqualTo(Status.QUEUED);
        });
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
        assertThat(herald.received).hasSize(2);
        assertThat(herald.received).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/v1/notifications");
            assertThat(r.body()).contains("\"eventId\":\"order-1\"");
        });
        assertThat(herald.received.get(1).body()).isEqualTo(herald.received.get(0).body());
    }

    @Test
    void aSendAnswered429IsRetriedAndAReplayedReceiptSaysSo() {
        herald.then(Reply.problem(429, "1", "{\"title\":\"Too many requests\",\"status\":429}"), Reply.json(200, RECEIPT));

        SendReceipt receipt = client().build().send(order());

        assertThat(receipt.replayed()).isTrue();
        assertThat(slept).containsExactly(Duration.ofSeconds(1));
        assertThat(herald.received).extracting(ScriptedHerald.Received::body).containsOnly(herald.received.get(0).body());
    }

    @Test
    void aBatchIsRetriedWholeAndItsItemsKeepTheirEventIds() {
        herald.then(Reply.problem(503, "1", "{}"), Reply.json(200, """
                {"results":[{"status":202,"eventId":"a","notifications":[]},
                            {"status":422,"title":"Invalid request","detail":"userId: give exactly one of userId and to",
                             "errors":[{"field":"userId","message":"give exactly one of userId and to"}]}]}"""));

        var result = client().build()
                .sendBatch(List.of(order().toBuilder().eventId("a").build(), order().toBuilder().eventId("b").build()));

        assertThat(herald.received).hasSize(2);
        assertThat(herald.received.get(1).body()).isEqualTo(herald.received.get(0).body()).contains("\"eventId\":\"a\"",
                "\"eventId\":\"b\"");
        assertThat(result.results().get(0).accepted()).isTrue();
        assertThat(result.results().get(1).accepted()).isFalse();
        assertThat(result.results().get(1).problem().errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("userId"));
        assertThat(result.acceptedCount()).isEqualTo(1);
    }

    @Test
    void retryAfterAsAnHttpDateIsMeasuredOnTheClock() {
        herald.then(Reply.problem(503, "Wed, 21 Oct 2026 07:28:00 GMT", "{}"), Reply.json(202, RECEIPT));
        Clock clock = Clock.fixed(Instant.parse("2026-10-21T07:27:50Z"), ZoneOffset.UTC);

        client().clock(clock).build().send(order());

        assertThat(slept).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void withoutRetryAfterTheBackoffGrowsExponentiallyWithJitterUntilAttemptsRunOut() {
        herald.then(Reply.problem(503, null, "{\"status\":503}"), Reply.problem(503, null, "{\"status\":503}"),
                Reply.problem(503, null, "{\"status\":503}"), Reply.problem(503, null, "{\"status\":503,\"detail\":\"database down\"}"));

        ServiceUnavailableException e = catchThrowableOfType(ServiceUnavailableException.class, () -> client().build().send(order()));

        assertThat(e.detail()).isEqualTo("database down");
        assertThat(e.retryAfter()).isEmpty();
        assertThat(herald.received).hasSize(RetryPolicy.DEFAULT.maxAttempts());
        // equal jitter with the generator at 0.5: three quarters of 200 ms, 400 ms, 800 ms
        assertThat(slept).containsExactly(Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(600));
    }

    @Test
    void aRetryAfterLongerThanThePolicyAllowsIsNotWaitedFor() {
        herald.then(Reply.problem(429, "3600", "{\"title\":\"Too many requests\",\"status\":429}"));

        RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> client().build().send(order()));

        assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        assertThat(herald.received).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void aSendThatTimesOutIsRetriedWithTheSameEventId() {
        herald.then(Reply.hanging(), Reply.json(202, RECEIPT));

        SendReceipt receipt = client().requestTimeout(Duration.ofMillis(300)).build().send(order());

        assertThat(receipt.eventId()).isEqualTo("order-1");
        assertThat(herald.received).hasSize(2);
        assertThat(herald.received.get(1).body()).isEqualTo(herald.received.get(0).body());
        assertThat(slept).hasSize(1);
    }

    @Test
    void aTrackingEventIsNotRetriedAfterATimeoutBecauseItMayHaveBeenRecorded() {
        herald.then(Reply.hanging(), Reply.json(202, "{}"));

        HeraldTransportException e = catchThrowableOfType(HeraldTransportException.class,
                () -> client().requestTimeout(Duration.ofMillis(300)).build().trackEvent(UUID.randomUUID(), TrackingEventType.OPENED));

        assertThat(e.timeout()).isTrue();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(herald.received).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void aTrackingEventIsRetriedOnlyWhenTheServerSaysItDidNothing() {
        UUID id = UUID.randomUUID();
        herald.then(Reply.problem(503, "1", "{}"),
                Reply.json(202, "{\"id\":\"" + id + "\",\"type\":\"OPENED\",\"at\":\"2026-12-01T10:00:00Z\"}"),
                Reply.problem(503, null, "{\"status\":503}"));
        HeraldClient c = client().build();

        var receipt = c.trackEvent(id, TrackingEventType.OPENED);
        assertThat(receipt.type()).isEqualTo(TrackingEventType.OPENED);
        assertThat(receipt.at()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(herald.received).hasSize(2);
        assertThat(herald.received.get(0).body()).isEqualTo("{\"type\":\"OPENED\"}");

        // 503 without Retry-After: not retried blindly
        assertThatThrownBy(() -> c.trackEvent(id, TrackingEventType.OPENED)).isInstanceOf(ServiceUnavailableException.class);
        assertThat(herald.received).hasSize(3);
    }

    @Test
    void aRefusedConnectionIsRetriedForAnyCallThenReported() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HeraldClient c = HeraldClient.builder().baseUrl("http://127.0.0.1:" + closedPort).credentials("app1", "s")
                .sleeper(slept::add).random(fixedJitter(0)).retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(3)).build();

        HeraldTransportException e = catchThrowableOfType(HeraldTransportException.class,
                () -> c.trackEvent(UUID.randomUUID(), TrackingEventType.CLICKED));

        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.getMessage()).contains("POST /v1/notifications/").contains("failed after 3 attempts");
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void everyCallCarriesBasicAuthAndTheUserAgent() {
        herald.then(Reply.json(202, RECEIPT));

        client().build().send(order());

        var r = herald.received.get(0);
        assertThat(r.header("Authorization"))
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("app1:s3cret:with-colon".getBytes()));
        assertThat(r.header("User-Agent"))
                .matches("herald-client/\\S+ java/" + java.util.regex.Pattern.quote(System.getProperty("java.version")));
        assertThat(HeraldClient.VERSION).matches("\\d+\\.\\d+\\.\\d+[-.\\w]*");
        assertThat(r.header("User-Agent")).startsWith("herald-client/" + HeraldClient.VERSION + " ");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void theConfiguredExecutorRunsTheHttpClientsWork() {
        herald.then(Reply.json(202, RECEIPT));
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            client().executor(task -> {
                tasks.incrementAndGet();
                pool.execute(task);
            }).build().send(order());
        } finally {
            pool.shutdownNow();
        }
        assertThat(tasks.get()).isPositive();
    }

    @Test
    void problemsBecomeTheExceptionOfTheirStatus() {
        record Case(int status, Class<? extends HeraldProblemException> type) {
        }
        List<Case> cases = List.of(new Case(400, BadRequestException.class), new Case(401, UnauthorizedException.class),
                new Case(403, ForbiddenException.class), new Case(404, NotFoundException.class), new Case(409, ConflictException.class),
                new Case(413, PayloadTooLargeException.class), new Case(422, ValidationException.class),
                new Case(429, RateLimitedException.class), new Case(503, ServiceUnavailableException.class),
                new Case(500, HeraldProblemException.class));
        HeraldClient c = client().retryPolicy(RetryPolicy.NONE).build();
        for (Case k : cases) {
            herald.then(Reply.problem(k.status(), null, """
                    {"type":"https://herald.dev/problems/x","title":"T%d","status":%d,"detail":"D","instance":"/i",
                     "errors":[{"field":"to.email","message":"is not a valid email address"}]}""".formatted(k.status(), k.status())));
            HeraldProblemException e = catchThrowableOfType(HeraldProblemException.class, () -> c.getUser("u-1"));
            assertThat(e).isExactlyInstanceOf(k.type());
            assertThat(e.status()).isEqualTo(k.status());
            assertThat(e.type()).isEqualTo("https://herald.dev/problems/x");
            assertThat(e.title()).isEqualTo("T" + k.status());
            assertThat(e.detail()).isEqualTo("D");
            assertThat(e.problem().instance()).isEqualTo("/i");
            assertThat(e.errors()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo("to.email");
                assertThat(f.message()).isEqualTo("is not a valid email address");
            });
            assertThat(e.method()).isEqualTo("GET");
            assertThat(e.path()).isEqualTo("/v1/users/u-1");
            assertThat(e.getMessage()).contains("GET /v1/users/u-1: " + k.status(), "to.email is not a valid email address");
        }
    }

    @Test
    void anErrorPageThatIsNotJsonStillBecomesAProblem() {
        herald.then(new Reply(502, java.util.Map.of("Content-Type", "text/html"), "<html>Bad gateway</html>", false));

        HeraldProblemException e = catchThrowableOfType(HeraldProblemException.class,
                () -> client().build().trackEvent(UUID.randomUUID(), TrackingEventType.OPENED));

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.type()).isEqualTo("about:blank");
        assertThat(e.detail()).isEqualTo("<html>Bad gateway</html>");
        assertThat(herald.received).hasSize(1);
    }

    @Test
    void valuesANewerServerAddsDoNotBreakAnOlderClient() {
        herald.then(Reply.json(202, """
                {"eventId":"order-1","broadcastId":"b-1","notifications":[
                  {"id":"%s","channel":"CARRIER_PIGEON","target":"x","status":"FLYING","reason":"WIND","extra":{"a":1}}]}"""
                .formatted(UUID.randomUUID())));

        var n = client().build().send(order()).notifications().get(0);

        assertThat(n.channel()).isEqualTo(Channel.UNKNOWN);
        assertThat(n.status()).isEqualTo(Status.UNKNOWN);
        assertThat(n.reason()).isEqualTo(Reason.UNKNOWN);

        herald.then(Reply.json(200, """
                {"channels":{"SMS":false,"CARRIER_PIGEON":true},"categories":{"news":{"EMAIL":true}},"quietHours":null,
                 "unsubscribedAll":false,"digest":{"window":"PT1H"}}"""));
        var prefs = client().build().getPreferences("u-1");
        assertThat(prefs.channels()).containsEntry(Channel.SMS, false);
        assertThat(prefs.categories().get("news")).containsEntry(Channel.EMAIL, true);
    }

    @Test
    void pathSegmentsAreEncodedAndTheInboxTokenIsParsedButNotPrinted() {
        herald.then(Reply.json(201, "{\"token\":\"tok-secret\",\"expiresAt\":\"2026-12-01T11:00:00Z\"}"));

        var token = client().build().createInboxToken("a/b c+d");

        assertThat(herald.received.get(0).method()).isEqualTo("POST");
        assertThat(herald.received.get(0).path()).isEqualTo("/v1/users/a%2Fb%20c%2Bd/inbox-token");
        assertThat(token.token()).isEqualTo("tok-secret");
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-12-01T11:00:00Z"));
        assertThat(token.toString()).doesNotContain("tok-secret");
        assertThatThrownBy(() -> client().build().getUser(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listingFollowsCursorsAndEncodesFilters() {
        String item = "{\"id\":\"%s\",\"eventId\":\"e\",\"channel\":\"SMS\",\"priority\":\"HIGH\",\"status\":\"SENT\",\"attempts\":1,"
                + "\"createdAt\":\"2026-12-01T10:00:00Z\",\"updatedAt\":\"2026-12-01T10:00:01Z\"}";
        herald.then(
                Reply.json(200,
                        "{\"items\":[" + item.formatted(UUID.randomUUID()) + "," + item.formatted(UUID.randomUUID())
                                + "],\"nextCursor\":\"c+1/=\"}"),
                Reply.json(200, "{\"items\":[" + item.formatted(UUID.randomUUID()) + "]}"));
        NotificationQuery q = NotificationQuery.builder().userId("u 1").status(Status.SENT).channel(Channel.SMS)
                .from(Instant.parse("2026-12-01T00:00:00Z")).limit(2).build();

        var all = client().build().listNotifications(q).stream().toList();

        assertThat(all).hasSize(3);
        assertThat(herald.received).hasSize(2);
        assertThat(herald.received.get(0).query()).isEqualTo("userId=u%201&status=SENT&channel=SMS&from=2026-12-01T00%3A00%3A00Z&limit=2");
        assertThat(herald.received.get(1).query()).endsWith("&limit=2&cursor=c%2B1%2F%3D");
    }
}
