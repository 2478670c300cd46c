package io.herald.providers.apns;

import com.eatthepath.pushy.apns.server.RejectionReason;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.model.WebPushSubscription;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.testkit.SettableClock;
import io.herald.testkit.apns.ApnsTestCredentials;
import io.herald.testkit.apns.ReceivedApnsNotification;
import io.herald.testkit.apns.RecordingApnsServer;
import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ApnsProvider against pushy's MockApnsServer over TLS on loopback, with key material generated per run. */
class ApnsProviderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static ApnsTestCredentials credentials;
    static RecordingApnsServer apns;
    static ApnsProvider tokenProvider;
    static final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @BeforeAll
    static void start() {
        credentials = ApnsTestCredentials.generate(dir.resolve("pki"));
        apns = RecordingApnsServer.start(credentials);
        tokenProvider = new ApnsProvider(settings(tokenAuth(), apns.port()), clock);
    }

    @AfterAll
    static void stop() {
        if (tokenProvider != null) tokenProvider.close();
        if (apns != null) apns.close();
    }

    private int before;

    @BeforeEach
    void mark() {
        before = apns.received().size();
    }

    @Test
    void theIosQueueIsAskedForEveryConnectionsStreamsAndWrappersPassItOn() {
        assertThat(tokenProvider.preferredConcurrency(Channel.PUSH, Platform.IOS)).isEqualTo(ApnsSettings.STREAMS_PER_CONNECTION);
        assertThat(tokenProvider.preferredConcurrency(Channel.PUSH, Platform.ANDROID)).isZero();
        try (ApnsProvider three = new ApnsProvider(settings(tokenAuth(), apns.port()).withConcurrentConnections(3), clock)) {
            assertThat(three.preferredConcurrency(Channel.PUSH, Platform.IOS)).isEqualTo(3 * ApnsSettings.STREAMS_PER_CONNECTION);
        }
        var breaking = new io.herald.providers.resilience.CircuitBreakingProvider(tokenProvider,
                io.herald.providers.resilience.CircuitBreakerSettings.DEFAULTS);
        assertThat(breaking.preferredConcurrency(Channel.PUSH, Platform.IOS)).isEqualTo(ApnsSettings.STREAMS_PER_CONNECTION);
    }

    @Test
    void tokenAuthSendsTheExactPayloadAndHeaders() {
        String token = registeredToken();
        Instant expiresAt = clock.instant().plus(Duration.ofHours(2));
        Map<String, String> data = Map.of("orderId", "42", "collapseId", "order-42", "apns.badge", "3",
                "apns.sound", "chime.caf", "apns.category", "ORDER", "apns.threadId", "orders", "apns.mutableContent", "true");
        OutboundMessage message = message(token, Priority.HIGH, new Content("Order shipped", "Your parcel is on its way",
                null, null, null, "https://example.com/o/42", data), expiresAt);

        SendResult result = tokenProvider.send(message);

        assertThat(result).isEqualTo(new SendResult.Accepted(message.id().toString()));
        ReceivedApnsNotification got = onlyNewRequest();
        assertThat(JSON.readTree(got.payload())).isEqualTo(JSON.readTree("""
                {"aps": {"alert": {"title": "Order shipped", "body": "Your parcel is on its way"},
                         "badge": 3, "sound": "chime.caf", "category": "ORDER", "thread-id": "orders", "mutable-content": 1},
                 "orderId": "42", "url": "https://example.com/o/42"}"""));
        assertThat(got.header(":method")).isEqualTo("POST");
        assertThat(got.header(":path")).isEqualTo("/3/device/" + token);
        assertThat(got.header("apns-topic")).isEqualTo(credentials.topic());
        assertThat(got.header("apns-push-type")).isEqualTo("alert");
        assertThat(got.header("apns-priority")).isEqualTo("10");
        assertThat(got.header("apns-expiration")).isEqualTo(String.valueOf(expiresAt.getEpochSecond()));
        assertThat(got.header("apns-collapse-id")).isEqualTo("order-42");
        assertThat(got.header("apns-id")).isEqualTo(message.id().toString());
        // the mock verified this ES256 JWT against the public half of the generated .p8 before accepting
        assertThat(got.header("authorization")).startsWith("bearer ");
        assertThat(got.clientCertificate()).isNull();
    }

    @Test
    void certificateAuthIsAcceptedAndNormalPriorityIsFive() {
        String token = registeredToken();
        ApnsSettings.Certificate auth = new ApnsSettings.Certificate(credentials.clientCertificateP12(),
                credentials.clientCertificatePassword());
        try (ApnsProvider provider = new ApnsProvider(settings(auth, apns.port()), clock)) {
            OutboundMessage message = message(token, Priority.NORMAL, content("hi", "there"), null);

            SendResult result = provider.send(message);

            assertThat(result).isEqualTo(new SendResult.Accepted(message.id().toString()));
            ReceivedApnsNotification got = onlyNewRequest();
            assertThat(got.clientCertificate()).contains("UID=" + credentials.topic());
            assertThat(got.header("authorization")).isNull();
            assertThat(got.header("apns-priority")).isEqualTo("5");
            assertThat(got.header("apns-collapse-id")).isNull();
            // no expiresAt: the configured default time to live, from the provider's clock
            assertThat(got.header("apns-expiration"))
                    .isEqualTo(String.valueOf(clock.instant().plus(ApnsSettings.DEFAULT_TIME_TO_LIVE).getEpochSecond()));
        }
    }

    @Test
    void unregisteredTokenIsRejectedWithApplesTimestamp() {
        String token = registeredToken();
        Instant since = Instant.parse("2026-01-02T03:04:05.678Z");
        apns.unregisterDevice(token, since);

        SendResult result = tokenProvider.send(message(token, Priority.HIGH, content("a", "b"), null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
            assertThat(r.tokenInvalidSince()).isEqualTo(since);
            assertThat(r.detail()).contains("410", "Unregistered");
        });
    }

    @Test
    void malformedTokenIsBadDeviceToken() {
        SendResult result = tokenProvider.send(message("not-a-hex-token", Priority.HIGH, content("a", "b"), null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
            assertThat(r.detail()).contains("BadDeviceToken");
            assertThat(r.tokenInvalidSince()).isNull();
        });
        assertThat(apns.received()).hasSize(before + 1);
    }

    @Test
    void tokenOfAnotherAppIsDeviceTokenNotForTopic() {
        SendResult result = tokenProvider.send(message(randomToken(), Priority.HIGH, content("a", "b"), null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
            assertThat(r.detail()).contains("DeviceTokenNotForTopic");
        });
    }

    @Test
    void throttlingAndServerErrorsAreTransient() {
        String token = registeredToken();
        apns.rejectNext(RejectionReason.TOO_MANY_REQUESTS).rejectNext(RejectionReason.INTERNAL_SERVER_ERROR)
                .rejectNext(RejectionReason.SHUTDOWN);

        SendResult throttled = tokenProvider.send(message(token, Priority.HIGH, content("a", "b"), null));
        SendResult internal = tokenProvider.send(message(token, Priority.HIGH, content("a", "b"), null));
        SendResult shutdown = tokenProvider.send(message(token, Priority.HIGH, content("a", "b"), null));

        assertThat(throttled).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.detail()).contains("429", "TooManyRequests"));
        assertThat(internal).isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.detail()).contains("InternalServerError"));
        assertThat(shutdown).isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.detail()).contains("Shutdown"));
    }

    @Test
    void otherClientErrorsArePermanentProviderRejections() {
        apns.rejectNext(RejectionReason.BAD_TOPIC);

        SendResult result = tokenProvider.send(message(registeredToken(), Priority.HIGH, content("a", "b"), null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains("400", "BadTopic");
        });
    }

    @Test
    void payloadOverFourKilobytesIsATemplateErrorWithoutCallingApple() {
        SendResult result = tokenProvider.send(message(registeredToken(), Priority.HIGH, content("big", "x".repeat(4100)), null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TEMPLATE_ERROR);
            assertThat(r.detail()).contains("4096");
        });
        assertThat(apns.received()).hasSize(before);
    }

    @Test
    void payloadOfExactlyFourKilobytesIsSent() {
        String token = registeredToken();
        String shell = "{\"aps\":{\"alert\":{\"body\":\"\"}}}";
        String body = "y".repeat(ApnsNotifications.MAX_PAYLOAD_BYTES - shell.length());

        SendResult result = tokenProvider.send(message(token, Priority.HIGH, content(null, body), null));

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
        assertThat(onlyNewRequest().payload()).hasSize(ApnsNotifications.MAX_PAYLOAD_BYTES);
    }

    @Test
    void expiredMessageIsNotSent() {
        SendResult result = tokenProvider.send(message(registeredToken(), Priority.HIGH, content("a", "b"),
                clock.instant().minusSeconds(1)));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.EXPIRED));
        assertThat(apns.received()).hasSize(before);
    }

    @Test
    void unreachableServerIsATransientFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ApnsSettings settings = settings(tokenAuth(), closedPort).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1));
        try (ApnsProvider provider = new ApnsProvider(settings, clock)) {
            long start = System.nanoTime();

            SendResult result = provider.send(message(randomToken(), Priority.HIGH, content("a", "b"), null));

            assertThat(result).isInstanceOf(SendResult.Failed.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void manySendsAreInFlightAtOnceWithoutAThreadEach() {
        List<OutboundMessage> messages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            messages.add(message(registeredToken(), Priority.NORMAL, new Content("T", "n" + i, null, null, null, null, null), null));
        }
        int threadsBefore = Thread.activeCount();
        // all 200 are started from this one thread before any answer is awaited
        List<CompletableFuture<SendResult>> answers = messages.stream().map(tokenProvider::sendAsync).toList();
        int threadsWhileInFlight = Thread.activeCount();

        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join())
                    .isEqualTo(new SendResult.Accepted(messages.get(i).id().toString()));
        }
        assertThat(apns.received().size() - before).isEqualTo(200);
        assertThat(threadsWhileInFlight - threadsBefore).as("no thread per send").isLessThan(10);
    }

    @Test
    void tlsRunsOnTheNativeBoringSslProvider() {
        // without netty-tcnative-boringssl-static pushy falls back to the JDK's slower TLS engine
        assertThat(OpenSsl.isAvailable()).as("native SSL: %s", OpenSsl.unavailabilityCause()).isTrue();
    }

    @Test
    void supportsOnlyIosDevices() {
        assertThat(tokenProvider.supports(new Target.Device("d", Platform.IOS, randomToken(), null))).isTrue();
        assertThat(tokenProvider.supports(new Target.Device("d", Platform.ANDROID, "fcm-token", null))).isFalse();
        assertThat(tokenProvider.supports(new Target.Device("d", Platform.WEB, null,
                new WebPushSubscription("https://push.example/x", "p", "a")))).isFalse();
        assertThat(tokenProvider.supports(new Target.Email("a@example.com"))).isFalse();
        assertThat(tokenProvider.channel()).isEqualTo(Channel.PUSH);
    }

    @Test
    void unusableCredentialsFailAtStartupNamingTheSetting() throws IOException {
        Path missing = dir.resolve("nope.p8");
        assertThatThrownBy(() -> new ApnsProvider(settings(new ApnsSettings.Token(missing, "K", "T"), 443)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signingKeyFile");

        Path garbage = Files.writeString(dir.resolve("garbage.p8"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new ApnsProvider(settings(new ApnsSettings.Token(garbage, "K", "T"), 443)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signingKeyFile");

        String wrongPassword = "wrong-secret-" + UUID.randomUUID();
        assertThatThrownBy(() -> new ApnsProvider(settings(
                new ApnsSettings.Certificate(credentials.clientCertificateP12(), wrongPassword), 443)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("p12File")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrongPassword));

        assertThat(new ApnsSettings.Certificate(credentials.clientCertificateP12(), wrongPassword).toString())
                .doesNotContain(wrongPassword);
    }

    // --- helpers

    private static ApnsSettings.Token tokenAuth() {
        return new ApnsSettings.Token(credentials.signingKeyP8(), credentials.keyId(), credentials.teamId());
    }

    private static ApnsSettings settings(ApnsSettings.Auth auth, int port) {
        return ApnsSettings.of(credentials != null ? credentials.topic() : ApnsTestCredentials.DEFAULT_TOPIC, auth)
                .withServer("localhost", port, credentials.caCertificatePem())
                .withTimeouts(TIMEOUT, TIMEOUT);
    }

    private ReceivedApnsNotification onlyNewRequest() {
        assertThat(apns.received()).hasSize(before + 1);
        return apns.received().get(before);
    }

    private static String registeredToken() {
        String token = randomToken();
        apns.registerDevice(token);
        return token;
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Content content(String title, String body) {
        return new Content(title, body, null, null, null, null, new HashMap<>());
    }

    private static OutboundMessage message(String token, Priority priority, Content content, Instant expiresAt) {
        return new OutboundMessage(UUID.randomUUID(), 1, "evt-" + UUID.randomUUID(), Channel.PUSH,
                new Target.Device("dev-1", Platform.IOS, token, null), priority, content, "transactional", expiresAt, 1);
    }
}
