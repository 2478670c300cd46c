package io.herald.providers.fcm;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.testkit.SettableClock;
import io.herald.testkit.fcm.FakeFcmServer;
import io.herald.testkit.fcm.FcmError;
import io.herald.testkit.fcm.SentFcmMessage;
import io.herald.testkit.fcm.TestServiceAccount;
import io.herald.testkit.fcm.TokenGrant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FcmProvider against FakeFcmServer (FCM v1 + OAuth2 token endpoint) on loopback, with a service account generated per run. */
class FcmProviderTest {

    private static final String PROJECT = "herald-test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    static FakeFcmServer fcm;
    static TestServiceAccount account;

    FcmProvider provider;
    int grantsBefore;
    int sentBefore;

    @BeforeAll
    static void start() {
        fcm = FakeFcmServer.start(PROJECT, clock);
        account = fcm.newServiceAccount(dir.resolve("sa"));
    }

    @AfterAll
    static void stop() {
        if (fcm != null) fcm.close();
    }

    @BeforeEach
    void newProvider() {
        // the service-account file names the fake's token endpoint as token_uri; only the FCM base URL is overridden
        provider = new FcmProvider(settings(), clock);
        grantsBefore = fcm.tokenGrants().size();
        sentBefore = fcm.sentMessages().size();
        fcm.tokenLifetime(Duration.ofSeconds(3599));
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    @Test
    void sendsAV1MessageWithAServiceAccountToken() {
        Instant expiresAt = clock.instant().plus(Duration.ofMinutes(90));
        OutboundMessage message = message("reg-token-1", Platform.ANDROID, Priority.HIGH, new Content("Order shipped",
                "On its way", null, null, null, "https://example.com/o/42", Map.of("orderId", "42", "collapseId", "order-42")),
                expiresAt);

        SendResult result = provider.send(message);

        assertThat(result).isInstanceOfSatisfying(SendResult.Accepted.class,
                a -> assertThat(a.providerMessageId()).startsWith("projects/" + PROJECT + "/messages/"));
        SentFcmMessage sent = onlyNewSend();
        assertThat(sent.body()).isEqualTo(JSON.readTree("""
                {"message": {"token": "reg-token-1",
                             "notification": {"title": "Order shipped", "body": "On its way"},
                             "data": {"orderId": "42", "url": "https://example.com/o/42"},
                             "android": {"priority": "HIGH", "ttl": "5400s", "collapse_key": "order-42"}}}"""));
        TokenGrant grant = onlyNewGrant();
        assertThat(grant.header().path("kid").asString()).isEqualTo(account.privateKeyId());
        assertThat(grant.claims().path("iss").asString()).isEqualTo(account.clientEmail());
        assertThat(grant.claims().path("aud").asString()).isEqualTo(fcm.tokenUri().toString());
        assertThat(grant.claims().path("scope").asString()).isEqualTo("https://www.googleapis.com/auth/firebase.messaging");
        assertThat(grant.claims().path("iat").asLong()).isEqualTo(clock.instant().getEpochSecond());
    }

    @Test
    void normalPriorityWithoutExpiryLeavesTtlToFcm() {
        provider.send(message("reg-token-2", Platform.ANDROID, Priority.LOW, content(), null));

        assertThat(onlyNewSend().message().path("android")).isEqualTo(JSON.readTree("{\"priority\": \"NORMAL\"}"));
    }

    @Test
    void unregisteredTokenIsRejectedAsUnregistered() {
        fcm.unregister("gone-token");

        SendResult result = provider.send(message("gone-token", Platform.ANDROID, Priority.HIGH, content(), null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
            assertThat(r.detail()).contains("404", "UNREGISTERED");
            assertThat(r.tokenInvalidSince()).isNull();
        });
    }

    @Test
    void senderIdMismatchIsATokenOfAnotherProject() {
        fcm.failNext(FcmError.SENDER_ID_MISMATCH);

        assertThat(sendOne()).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
            assertThat(r.detail()).contains("403", "SENDER_ID_MISMATCH");
        });
    }

    @Test
    void invalidArgumentIsAPermanentProviderRejection() {
        fcm.failNext(FcmError.INVALID_ARGUMENT);

        assertThat(sendOne()).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains("400", "INVALID_ARGUMENT");
        });
    }

    @Test
    void thirdPartyAuthErrorIsRejectedWithoutRenewingOurToken() {
        fcm.failNext(FcmError.THIRD_PARTY_AUTH_ERROR);

        assertThat(sendOne()).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED));
        assertThat(fcm.tokenGrants()).hasSize(grantsBefore + 1);
        assertThat(fcm.sentMessages()).hasSize(sentBefore + 1);
    }

    @Test
    void quotaExceededIsTransientWithRetryAfter() {
        fcm.failNext(FcmError.QUOTA_EXCEEDED, "30").failNext(FcmError.QUOTA_EXCEEDED);

        SendResult withHeader = sendOne();
        SendResult withoutHeader = sendOne();

        assertThat(withHeader).isEqualTo(new SendResult.Failed(((SendResult.Failed) withHeader).detail(), Duration.ofSeconds(30)));
        assertThat(((SendResult.Failed) withHeader).detail()).contains("429", "QUOTA_EXCEEDED");
        // no header: FCM's documented minimum initial back-off for quota errors
        assertThat(withoutHeader).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofMinutes(1)));
    }

    @Test
    void unavailableAndInternalAreTransientAndHonourRetryAfterDates() {
        String in120s = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(120).atOffset(ZoneOffset.UTC));
        fcm.failNext(FcmError.UNAVAILABLE, in120s).failNext(FcmError.INTERNAL);

        SendResult unavailable = sendOne();
        SendResult internal = sendOne();

        assertThat(unavailable).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.detail()).contains("503", "UNAVAILABLE");
            assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        });
        assertThat(internal).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.detail()).contains("500", "INTERNAL");
            assertThat(f.retryAfter()).isNull();
        });
    }

    @Test
    void oneTokenServesManySends() {
        for (int i = 0; i < 5; i++) assertThat(sendOne()).isInstanceOf(SendResult.Accepted.class);

        assertThat(fcm.tokenGrants()).hasSize(grantsBefore + 1);
        List<SentFcmMessage> sent = fcm.sentMessages().subList(sentBefore, sentBefore + 5);
        assertThat(sent).extracting(SentFcmMessage::accessToken).containsOnly(sent.getFirst().accessToken());
    }

    @Test
    void tokenIsRenewedBeforeItExpires() {
        fcm.tokenLifetime(Duration.ofHours(1));
        int unauthenticatedBefore = fcm.unauthenticatedRequests();
        sendOne();
        // still more than the 5-minute refresh margin left: cached
        clock.advance(Duration.ofMinutes(54));
        sendOne();
        assertThat(fcm.tokenGrants()).hasSize(grantsBefore + 1);

        clock.advance(Duration.ofMinutes(2)); // 4 minutes left: renewed before FCM would refuse it
        assertThat(sendOne()).isInstanceOf(SendResult.Accepted.class);

        assertThat(fcm.tokenGrants()).hasSize(grantsBefore + 2);
        List<SentFcmMessage> sent = fcm.sentMessages().subList(sentBefore, sentBefore + 3);
        assertThat(sent.get(2).accessToken()).isNotEqualTo(sent.get(0).accessToken());
        assertThat(fcm.unauthenticatedRequests()).isEqualTo(unauthenticatedBefore);
    }

    @Test
    void a401RenewsTheTokenOnceAndRetries() {
        sendOne();
        int unauthenticatedBefore = fcm.unauthenticatedRequests();
        fcm.revokeAccessTokens();

        assertThat(sendOne()).isInstanceOf(SendResult.Accepted.class);

        assertThat(fcm.unauthenticatedRequests()).isEqualTo(unauthenticatedBefore + 1);
        assertThat(fcm.tokenGrants()).hasSize(grantsBefore + 2);
    }

    @Test
    void a401ThatPersistsAfterRenewalIsTransient() {
        int unauthenticatedBefore = fcm.unauthenticatedRequests();
        fcm.refuseAccessTokensForNext(2);

        assertThat(sendOne()).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.detail()).contains("401", "UNAUTHENTICATED"));
        assertThat(fcm.unauthenticatedRequests()).isEqualTo(unauthenticatedBefore + 2);
        assertThat(fcm.tokenGrants()).hasSize(grantsBefore + 2);
    }

    @Test
    void aRefusedTokenGrantIsTransientAndSendsNothing() {
        // same project and token endpoint, but a key the fake (Google) does not know
        TestServiceAccount stranger = TestServiceAccount.generate(dir.resolve("stranger"), PROJECT, fcm.tokenUri());
        try (FcmProvider strangerProvider = new FcmProvider(FcmSettings.of(stranger.file())
                .withEndpoints(fcm.baseUrl(), null), clock)) {

            SendResult result = strangerProvider.send(message("t", Platform.ANDROID, Priority.HIGH, content(), null));

            assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class,
                    f -> assertThat(f.detail()).contains("400", "invalid_grant"));
        }
        assertThat(fcm.sentMessages()).hasSize(sentBefore);
    }

    @Test
    void reservedDataKeyIsATemplateErrorWithoutCallingFcm() {
        Content content = new Content("t", "b", null, null, null, null, Map.of("google.sent_time", "1"));

        SendResult result = provider.send(message("t", Platform.ANDROID, Priority.HIGH, content, null));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.TEMPLATE_ERROR));
        assertThat(fcm.sentMessages()).hasSize(sentBefore);
        assertThat(fcm.tokenGrants()).hasSize(grantsBefore);
    }

    @Test
    void expiredMessageIsNotSent() {
        SendResult result = provider.send(message("t", Platform.ANDROID, Priority.HIGH, content(), clock.instant()));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.EXPIRED));
        assertThat(fcm.sentMessages()).hasSize(sentBefore);
    }

    @Test
    void androidOnlyByDefaultIosWhenConfigured() {
        Target.Device ios = new Target.Device("d", Platform.IOS, "ios-fcm-token", null);
        assertThat(provider.supports(new Target.Device("d", Platform.ANDROID, "t", null))).isTrue();
        assertThat(provider.supports(ios)).isFalse();
        assertThat(provider.send(message("ios-fcm-token", Platform.IOS, Priority.HIGH, content(), null)))
                .isInstanceOfSatisfying(SendResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_RECIPIENT));

        try (FcmProvider both = new FcmProvider(settings().withPlatforms(Set.of(Platform.ANDROID, Platform.IOS)), clock)) {
            assertThat(both.supports(ios)).isTrue();
            Instant expiresAt = clock.instant().plusSeconds(600);

            assertThat(both.send(message("ios-fcm-token", Platform.IOS, Priority.NORMAL, content(), expiresAt)))
                    .isInstanceOf(SendResult.Accepted.class);

            assertThat(onlyNewSend().message().path("apns")).isEqualTo(JSON.readTree(
                    "{\"headers\": {\"apns-priority\": \"5\", \"apns-expiration\": \"" + expiresAt.getEpochSecond() + "\"}}"));
        }
    }

    @Test
    void unreachableFcmIsTransient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        FcmSettings settings = FcmSettings.of(account.file())
                .withEndpoints(URI.create("http://127.0.0.1:" + closedPort), URI.create("http://127.0.0.1:" + closedPort + "/token"))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));
        try (FcmProvider down = new FcmProvider(settings, clock)) {
            assertThat(down.send(message("t", Platform.ANDROID, Priority.HIGH, content(), null))).isInstanceOf(SendResult.Failed.class);
        }
    }

    @Test
    void unusableServiceAccountFailsAtStartupNamingTheSetting() {
        assertThatThrownBy(() -> new FcmProvider(FcmSettings.of(dir.resolve("missing.json"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("serviceAccountFile");
        assertThatThrownBy(() -> new FcmProvider(FcmSettings.of(account.file()).withProjectId(" ")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("projectId");
    }

    // --- helpers

    private FcmSettings settings() {
        return FcmSettings.of(account.file()).withEndpoints(fcm.baseUrl(), null)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    private SendResult sendOne() {
        return provider.send(message("reg-" + UUID.randomUUID(), Platform.ANDROID, Priority.HIGH, content(), null));
    }

    private SentFcmMessage onlyNewSend() {
        assertThat(fcm.sentMessages()).hasSize(sentBefore + 1);
        return fcm.sentMessages().get(sentBefore);
    }

    private TokenGrant onlyNewGrant() {
        assertThat(fcm.tokenGrants()).hasSize(grantsBefore + 1);
        return fcm.tokenGrants().get(grantsBefore);
    }

    private static Content content() {
        return new Content("Hello", "World", null, null, null, null, Map.of());
    }

    private static OutboundMessage message(String token, Platform platform, Priority priority, Content content, Instant expiresAt) {
        return new OutboundMessage(UUID.randomUUID(), 1, "evt-" + UUID.randomUUID(), Channel.PUSH,
                new Target.Device("dev-1", platform, token, null), priority, content, null, expiresAt, 1);
    }
}
