package io.herald.providers.fcm;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Firebase Cloud Messaging over the HTTP v1 API ({@code POST /v1/projects/{project}/messages:send}) with the JDK
 * HTTP client and OAuth2 tokens obtained from a service account (see {@link AccessTokens}), for {@link Target.Device}s
 * of the configured platforms (ANDROID by default).
 * <p>
 * Outcomes of {@link #send}:
 * <ul>
 *   <li>{@link SendResult.Accepted}: FCM took the message; the provider message id is FCM's message name
 *       ({@code projects/{project}/messages/{id}}).</li>
 *   <li>{@link SendResult.Rejected} {@link Reason#TOKEN_UNREGISTERED}: UNREGISTERED or SENDER_ID_MISMATCH; the
 *       device should be deactivated.</li>
 *   <li>{@link SendResult.Rejected} {@link Reason#PROVIDER_REJECTED}: INVALID_ARGUMENT, THIRD_PARTY_AUTH_ERROR and
 *       other 4xx. {@link Reason#TEMPLATE_ERROR} for a data key FCM reserves, detected locally;
 *       {@link Reason#EXPIRED} when expiresAt has passed.</li>
 *   <li>{@link SendResult.Failed}: QUOTA_EXCEEDED (429), INTERNAL, UNAVAILABLE, other 5xx, timeouts, an unreachable
 *       token endpoint, or a 401 that persists after one token renewal; with FCM's Retry-After when it sent one.</li>
 * </ul>
 * The data key {@value FcmRequests#DATA_COLLAPSE_ID} becomes the collapse key; other data entries (and the content
 * url as "url") are sent as FCM data.
 * <p>
 * Thread-safe: one instance serves all workers; {@link #sendAsync} holds no thread while FCM answers, {@link #send}
 * blocks the calling thread for at most about three request timeouts (token, send, and one retry after a 401).
 * Close it on shutdown.
 */
public final class FcmProvider implements ChannelProvider, AutoCloseable {

    /** Where a token renewal waits when it is needed on the HTTP client's thread. */
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("herald-fcm-token").start(task);
    private static final Logger log = LoggerFactory.getLogger(FcmProvider.class);

    private final FcmSettings settings;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http;
    private final AccessTokens tokens;
    private final URI sendUri;

    /**
     * Reads the service-account file; does not contact Google yet.
     *
     * @throws IllegalStateException naming the setting when the file or project id is unusable
     */
    public FcmProvider(FcmSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public FcmProvider(FcmSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        ServiceAccount account = ServiceAccount.load(settings.serviceAccountFile(), json);
        String projectId = settings.projectId() != null ? settings.projectId() : account.projectId();
        if (projectId == null || projectId.isBlank()) {
            throw new IllegalStateException("FCM setting 'projectId' is required (the service-account file has no project_id)");
        }
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
        URI tokenUri = settings.tokenUri() != null ? settings.tokenUri() : account.tokenUri();
        this.tokens = new AccessTokens(account, tokenUri, http, json, clock, settings.requestTimeout(), settings.tokenRefreshMargin());
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        this.sendUri = URI.create(base + "/v1/projects/" + projectId + "/messages:send");
        log.info("FCM provider ready: project {}, platforms {}, service account {}", projectId, settings.platforms(),
                account.clientEmail());
    }

    @Override
    public String name() {
        return "fcm";
    }

    @Override
    public Channel channel() {
        return Channel.PUSH;
    }

    /** A device of a configured platform that has an FCM registration token. */
    @Override
    public boolean supports(Target target) {
        return target instanceof Target.Device device && settings.platforms().contains(device.platform())
                && device.token() != null && !device.token().isBlank();
    }

    /** Waits for {@link #sendAsync}'s answer. */
    @Override
    public SendResult send(OutboundMessage message) {
        return sendAsync(message).toCompletableFuture().join();
    }

    /**
     * Posts with the JDK client's {@code sendAsync}: no thread waits for FCM's answer. A cached access token is taken in
     * the calling thread; renewing one (rarely, and after a 401) blocks a virtual thread, never the client's.
     */
    @Override
    public CompletableFuture<SendResult> sendAsync(OutboundMessage message) {
        if (!supports(message.target()) || !(message.target() instanceof Target.Device device)) {
            return CompletableFuture.completedFuture(SendResult.rejected(Reason.INVALID_RECIPIENT, "FCM is configured for "
                    + settings.platforms() + " devices with a registration token"));
        }
        return switch (FcmRequests.map(message, device, clock.instant(), json)) {
            case FcmRequests.Mapped.Invalid invalid -> CompletableFuture.completedFuture(invalid.rejection());
            case FcmRequests.Mapped.Ready ready -> deliver(ready.json(), device);
        };
    }

    private CompletableFuture<SendResult> deliver(String body, Target.Device device) {
        String token;
        try {
            token = tokens.get();
        } catch (IOException | InterruptedException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
        return post(body, token)
                .thenCompose(answer -> {
                    if (!answer.isStaleAccessToken()) return CompletableFuture.completedFuture(answer);
                    // revoked or expired early: renew once; a second 401 means a deeper credential problem
                    tokens.invalidate(token);
                    return CompletableFuture.supplyAsync(this::renewedToken, VIRTUAL).thenCompose(fresh -> post(body, fresh));
                })
                .handle((answer, error) -> {
                    if (error != null)
                        return failure(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                    SendResult result = FcmResponses.toResult(answer);
                    if (result instanceof SendResult.Failed failed) log.debug("FCM send to {}: {}", device.masked(), failed.detail());
                    return result;
                });
    }

    private String renewedToken() {
        try {
            return tokens.get();
        } catch (IOException | InterruptedException e) {
            throw new CompletionException(e);
        }
    }

    private static SendResult failure(Throwable e) {
        return switch (e) {
            case AccessTokens.TokenException t -> {
                log.warn("FCM: no access token: {}", t.getMessage());
                yield SendResult.failed("FCM: no access token: " + t.getMessage());
            }
            case InterruptedException i -> {
                Thread.currentThread().interrupt();
                yield SendResult.failed("FCM: interrupted");
            }
            default -> SendResult.failed("FCM: " + e);
        };
    }

    private CompletableFuture<FcmResponses.Answer> post(String body, String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(sendUri)
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> FcmResponses.parse(response.statusCode(), response.headers(), response.body(), json, clock));
    }

    /**
     * Fetches an access token once (the OAuth2 grant with the service account), to find bad credentials at
     * start-up instead of at the first send. The token is kept for the sends that follow.
     *
     * @return the token endpoint that granted it
     * @throws IOException naming what the token endpoint answered
     */
    public String checkCredentials() throws IOException, InterruptedException {
        tokens.get();
        return tokens.uri().toString();
    }

    @Override
    public void close() {
        http.close();
    }
}
