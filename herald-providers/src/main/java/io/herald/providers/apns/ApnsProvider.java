package io.herald.providers.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Apple Push Notification service over HTTP/2 (pushy), for {@link Target.Device}s of platform {@link Platform#IOS}.
 * <p>
 * Outcomes of {@link #send}:
 * <ul>
 *   <li>{@link SendResult.Accepted}: Apple took the notification; the provider message id is the apns-id, which is the
 *       notification id (so a retry of the same message carries the same apns-id).</li>
 *   <li>{@link SendResult.Rejected} {@link Reason#TOKEN_UNREGISTERED}: BadDeviceToken, Unregistered (with Apple's
 *       invalidation time) or DeviceTokenNotForTopic; the device should be deactivated.</li>
 *   <li>{@link SendResult.Rejected} {@link Reason#TEMPLATE_ERROR}: the payload exceeds 4096 bytes or the content is
 *       unusable; detected locally, Apple is not called. {@link Reason#EXPIRED} when expiresAt has passed.</li>
 *   <li>{@link SendResult.Rejected} {@link Reason#PROVIDER_REJECTED}: any other 4xx (BadTopic, PayloadTooLarge,
 *       InvalidProviderToken, ...), often a configuration problem to fix.</li>
 *   <li>{@link SendResult.Failed}: 429, 5xx, Shutdown, a timeout or a lost connection; retry later.</li>
 * </ul>
 * Besides title and body, these {@link io.herald.core.model.Content#data()} keys are APNs directives and are not
 * copied into the payload as custom data: {@value #DATA_BADGE}, {@value #DATA_SOUND}, {@value #DATA_CATEGORY},
 * {@value #DATA_THREAD_ID}, {@value #DATA_MUTABLE_CONTENT} ("true"), {@value #DATA_COLLAPSE_ID} (apns-collapse-id).
 * Every other data entry, and the content url as "url", becomes a custom key beside "aps".
 * <p>
 * Thread-safe: one instance (one pushy client with its own connections) serves all workers. {@link #sendAsync}
 * holds no thread while Apple answers (thousands of sends in flight over a few HTTP/2 connections); {@link #send}
 * blocks the calling thread for at most {@link ApnsSettings#sendTimeout()}. Close it on shutdown.
 */
public final class ApnsProvider implements ChannelProvider, AutoCloseable {

    public static final String DATA_BADGE = "apns.badge";
    public static final String DATA_SOUND = "apns.sound";
    public static final String DATA_CATEGORY = "apns.category";
    public static final String DATA_THREAD_ID = "apns.threadId";
    public static final String DATA_MUTABLE_CONTENT = "apns.mutableContent";
    public static final String DATA_COLLAPSE_ID = "collapseId";

    private static final Logger log = LoggerFactory.getLogger(ApnsProvider.class);

    private final ApnsSettings settings;
    private final Clock clock;
    private final ApnsClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Opens no connection yet (pushy connects on first send) but loads and checks the credentials.
     *
     * @throws IllegalStateException naming the setting when a key, certificate or password is unusable
     */
    public ApnsProvider(ApnsSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public ApnsProvider(ApnsSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = ApnsClients.build(settings);
        log.info("APNs provider ready: topic {}, {}, {} auth", settings.topic(),
                settings.host() != null ? settings.host() + ":" + settings.port() : settings.gateway(),
                settings.auth() instanceof ApnsSettings.Token ? "token" : "certificate");
    }

    @Override
    public String name() {
        return "apns";
    }

    @Override
    public Channel channel() {
        return Channel.PUSH;
    }

    @Override
    public boolean supports(Target target) {
        return target instanceof Target.Device device && device.platform() == Platform.IOS;
    }

    /** Every connection multiplexes {@link ApnsSettings#STREAMS_PER_CONNECTION} pushes; only the iOS queue is this provider's. */
    @Override
    public int preferredConcurrency(Channel channel, Platform platform) {
        return platform == Platform.IOS ? settings.concurrentConnections() * ApnsSettings.STREAMS_PER_CONNECTION : 0;
    }

    /** Waits for {@link #sendAsync}'s answer: at most {@link ApnsSettings#sendTimeout()}. */
    @Override
    public SendResult send(OutboundMessage message) {
        return sendAsync(message).toCompletableFuture().join();
    }

    /** Answers when Apple has (on pushy's event loop), or with a transient failure after the send timeout. */
    @Override
    public CompletableFuture<SendResult> sendAsync(OutboundMessage message) {
        if (!(message.target() instanceof Target.Device device) || device.platform() != Platform.IOS) {
            return CompletableFuture.completedFuture(SendResult.rejected(Reason.INVALID_RECIPIENT, "APNs delivers only to IOS devices"));
        }
        return switch (ApnsNotifications.map(message, device.token(), settings, clock.instant())) {
            case ApnsNotifications.Mapped.Invalid invalid -> CompletableFuture.completedFuture(invalid.rejection());
            case ApnsNotifications.Mapped.Ready ready -> deliver(ready.notification(), device);
        };
    }

    private CompletableFuture<SendResult> deliver(SimpleApnsPushNotification notification, Target.Device device) {
        if (closed.get()) return CompletableFuture.completedFuture(SendResult.failed("APNs provider is closed"));
        return client.sendNotification(notification)
                .handle((response, error) -> {
                    if (error == null) return ApnsOutcomes.of(response);
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    log.debug("APNs send to {} failed", device.masked(), cause);
                    return ApnsOutcomes.of(cause);
                })
                // the request may still reach Apple; the retry carries the same apns-id
                .completeOnTimeout(SendResult.failed("APNs: no answer within " + settings.sendTimeout()),
                        settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes the connections gracefully, waiting at most the send timeout. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            client.close().get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("APNs client did not close cleanly: {}", e.toString());
        }
    }
}
