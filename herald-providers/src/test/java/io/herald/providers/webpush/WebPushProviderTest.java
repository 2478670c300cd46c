package io.herald.providers.webpush;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.model.WebPushSubscription;
import io.herald.core.net.OutboundGuard;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.testkit.SettableClock;
import io.herald.testkit.webpush.FakePushService;
import io.herald.testkit.webpush.FakeSubscriber;
import io.herald.testkit.webpush.ReceivedPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end against a strict fake push service that verifies VAPID and decrypts like a browser. */
class WebPushProviderTest {

    static final String SUBJECT = "mailto:ops@herald.example";

    @TempDir
    Path dataDir;

    SettableClock clock = new SettableClock(Instant.parse("2026-11-02T10:00:00Z"));
    FakePushService service;
    WebPushProvider provider;
    FakeSubscriber browser;
    HttpClient http;

    @BeforeEach
    void start() {
        service = FakePushService.start(clock);
        WebPushSettings settings = WebPushSettings.generatedKeys(SUBJECT, dataDir).withAllowInsecureEndpoints(true);
        http = WebPushProvider.newClient(settings);
        // the fake listens on loopback, which only an explicitly allowed host may reach
        provider = new WebPushProvider(settings, http, clock, OutboundGuard.allowing("127.0.0.1,localhost"));
        browser = service.subscribe(provider.vapidPublicKey());
    }

    @AfterEach
    void stop() {
        http.close();
        service.close();
    }

    @Test
    void theBrowserDecryptsExactlyWhatWasSentWithAVerifiedVapidToken() {
        Content content = new Content("Your order shipped", "It arrives Tuesday", null, null, null,
                "https://shop.example/orders/42", Map.of("orderId", "42", WebPushProvider.TOPIC_KEY, "order-42"));
        OutboundMessage message = message(browser.subscription(), Priority.HIGH, content, clock.instant().plus(Duration.ofHours(1)));

        SendResult result = provider.send(message);

        assertThat(service.refusals()).isEmpty();
        assertThat(result).isInstanceOfSatisfying(SendResult.Accepted.class,
                a -> assertThat(a.providerMessageId()).startsWith(service.origin() + "/message/"));
        assertThat(service.received()).hasSize(1);
        ReceivedPush push = service.received().getFirst();
        assertThat(JsonMapper.builder().build().readValue(push.text(), new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
        })).isEqualTo(Map.of(
                "id", message.id().toString(),
                "title", "Your order shipped",
                "body", "It arrives Tuesday",
                "url", "https://shop.example/orders/42",
                "data", Map.of("orderId", "42")));
        assertThat(push.ttl()).isEqualTo(3600);
        assertThat(push.urgency()).isEqualTo("high");
        assertThat(push.topic()).isEqualTo("order-42");
        assertThat(push.vapidClaims()).containsEntry("aud", service.origin()).containsEntry("sub", SUBJECT);
        long exp = ((Number) push.vapidClaims().get("exp")).longValue();
        assertThat(exp).isGreaterThan(clock.instant().getEpochSecond())
                .isLessThanOrEqualTo(clock.instant().plus(Duration.ofHours(24)).getEpochSecond());
    }

    @Test
    void defaultTtlUrgencyAndNoTopicWithoutExpiryOrTopic() {
        assertThat(provider.send(message(browser.subscription(), Priority.LOW, Content.ofText("x"), null)))
                .isInstanceOf(SendResult.Accepted.class);

        ReceivedPush push = service.received().getFirst();
        assertThat(push.ttl()).isEqualTo(WebPushSettings.DEFAULT_TTL.toSeconds());
        assertThat(push.urgency()).isEqualTo("low");
        assertThat(push.topic()).isNull();
    }

    @Test
    void aVapidTokenIsRenewedBeforeThePushServiceWouldRefuseIt() {
        provider.send(message(browser.subscription(), Priority.NORMAL, Content.ofText("one"), null));
        clock.advance(Duration.ofHours(23));
        provider.send(message(browser.subscription(), Priority.NORMAL, Content.ofText("two"), null));

        assertThat(service.refusals()).isEmpty();
        assertThat(service.received()).hasSize(2);
        assertThat(service.received().get(1).vapidClaims().get("exp")).isNotEqualTo(service.received().get(0).vapidClaims().get("exp"));
    }

    @Test
    void goneSubscriptionsAreUnregistered() {
        service.unsubscribe(browser);
        SendResult gone = provider.send(message(browser.subscription(), Priority.NORMAL, Content.ofText("x"), null));

        WebPushSubscription unknown = new WebPushSubscription(service.origin() + "/push/never-subscribed",
                browser.subscription().p256dh(), browser.subscription().auth());
        SendResult notFound = provider.send(message(unknown, Priority.NORMAL, Content.ofText("x"), null));

        assertThat(gone).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
            assertThat(r.detail()).contains("410");
        });
        assertThat(notFound).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
            assertThat(r.detail()).contains("404");
        });
    }

    @Test
    void payloadTooLargeForThePushServiceIsAPermanentRejection() {
        service.respondNext(413, Map.of(), "Payload Too Large");

        assertThat(send()).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains("413").contains("too large");
        });
    }

    @Test
    void throttlingHonoursRetryAfterSeconds() {
        service.respondNext(429, Map.of("Retry-After", "120"), "slow down");

        assertThat(send()).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(120));
            assertThat(f.detail()).contains("429").contains("slow down");
        });
    }

    @Test
    void serverErrorsAreTransientAndHonourAnHttpDateRetryAfter() {
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));
        service.respondNext(503, Map.of("Retry-After", in90s), "");
        service.respondNext(500, Map.of(), "boom");

        assertThat(send()).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(90)));
        assertThat(send()).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.retryAfter()).isNull();
            assertThat(f.detail()).contains("500").contains("boom");
        });
    }

    @Test
    void clientErrorsAreRejectedWithTheServiceAnswerInTheDetail() {
        for (int status : new int[]{400, 401, 403}) {
            service.respondNext(status, Map.of(), "{\"reason\":\"status-" + status + "\"}");
            assertThat(send()).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
                assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
                assertThat(r.detail()).contains(String.valueOf(status)).contains("status-" + status);
            });
        }
    }

    @Test
    void aSubscriptionMadeForAnotherVapidKeyIsRefusedByTheService() {
        FakeSubscriber other = service.subscribe(VapidKeys.generate().publicKeyBase64Url());

        SendResult result = provider.send(message(other.subscription(), Priority.NORMAL, Content.ofText("x"), null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains("403");
        });
        assertThat(service.received()).isEmpty();
    }

    @Test
    void oversizedPayloadIsATemplateErrorAndNeverSent() {
        Content big = new Content("t", "x".repeat(4000), null, null, null, null, Map.of());

        SendResult result = provider.send(message(browser.subscription(), Priority.NORMAL, big, null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TEMPLATE_ERROR);
            assertThat(r.detail()).contains("4096");
        });
        assertThat(service.requestCount()).isZero();
    }

    @Test
    void connectionFailuresAreTransient() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        WebPushSubscription nowhere = new WebPushSubscription("http://127.0.0.1:" + closedPort + "/push/x",
                browser.subscription().p256dh(), browser.subscription().auth());

        assertThat(provider.send(message(nowhere, Priority.NORMAL, Content.ofText("x"), null)))
                .isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.detail()).contains("I/O error"));
    }

    @Test
    void malformedSubscriptionsAndInsecureEndpointsAreInvalidRecipients() {
        WebPushSubscription badKey = new WebPushSubscription(browser.subscription().endpoint(), "AAAA", browser.subscription().auth());
        assertThat(provider.send(message(badKey, Priority.NORMAL, Content.ofText("x"), null)))
                .isInstanceOfSatisfying(SendResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_RECIPIENT));

        try (WebPushProvider strict = new WebPushProvider(WebPushSettings.generatedKeys(SUBJECT, dataDir))) {
            assertThat(strict.send(message(browser.subscription(), Priority.NORMAL, Content.ofText("x"), null)))
                    .isInstanceOfSatisfying(SendResult.Rejected.class, r -> assertThat(r.detail()).contains("https"));
        }
        assertThat(service.requestCount()).isZero();
    }

    @Test
    void internalEndpointsAreRefusedAtSendTimeUnlessTheHostIsAllowed() {
        WebPushSettings insecure = WebPushSettings.generatedKeys(SUBJECT, dataDir).withAllowInsecureEndpoints(true);
        try (WebPushProvider guarded = new WebPushProvider(insecure, http, clock, OutboundGuard.strict())) {
            assertThat(guarded.send(message(browser.subscription(), Priority.NORMAL, Content.ofText("x"), null)))
                    .isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
                        assertThat(r.reason()).isEqualTo(Reason.INVALID_RECIPIENT);
                        assertThat(r.detail()).contains("refused");
                    });
            WebPushSubscription metadata = new WebPushSubscription("https://169.254.169.254/latest/meta-data/",
                    browser.subscription().p256dh(), browser.subscription().auth());
            assertThat(guarded.send(message(metadata, Priority.NORMAL, Content.ofText("x"), null)))
                    .isInstanceOf(SendResult.Rejected.class);
        }
        assertThat(service.requestCount()).isZero();
        assertThat(send()).isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void supportsWebDevicesOnly() {
        assertThat(provider.supports(new Target.Device("d1", Platform.WEB, null, browser.subscription()))).isTrue();
        assertThat(provider.supports(new Target.Device("d2", Platform.ANDROID, "fcm-token", null))).isFalse();
        assertThat(provider.supports(new Target.Email("a@b.c"))).isFalse();
    }

    private SendResult send() {
        return provider.send(message(browser.subscription(), Priority.NORMAL, Content.ofText("x"), null));
    }

    private static OutboundMessage message(WebPushSubscription sub, Priority priority, Content content, Instant expiresAt) {
        return new OutboundMessage(UUID.randomUUID(), 1L, "evt-" + UUID.randomUUID(), Channel.PUSH,
                new Target.Device("device-1", Platform.WEB, null, sub), priority, content, "transactional", expiresAt, 1);
    }
}
