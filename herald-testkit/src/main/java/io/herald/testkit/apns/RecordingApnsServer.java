package io.herald.testkit.apns;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * pushy's {@link MockApnsServer} over real TLS on loopback, validating like Apple does (pushy's
 * {@link ValidatingPushNotificationHandlerFactory}: token format, topic, provider-token signature or client
 * certificate, 4096-byte payload limit), and recording every request it receives.
 * <p>
 * Devices must be registered for the topic ({@link #registerDevice}); anything else is answered the way APNs answers
 * it: {@code BadDeviceToken} for a malformed token, {@code DeviceTokenNotForTopic} for an unknown one,
 * {@code Unregistered} with a timestamp after {@link #unregisterDevice}. {@link #rejectNext} scripts an answer
 * (e.g. {@code TooManyRequests}) for the next request regardless of its content.
 * <p>
 * Thread-safe: configuration and recording may happen while clients send. Close it to free the port.
 */
public final class RecordingApnsServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final ApnsTestCredentials credentials;
    private final MockApnsServer server;
    private final int port;
    private final Map<String, Set<String>> devicesByTopic = new ConcurrentHashMap<>();
    private final Map<String, Instant> unregisteredSince = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<RejectionReason> scripted = new ConcurrentLinkedQueue<>();
    private final List<ReceivedApnsNotification> received = new CopyOnWriteArrayList<>();

    private RecordingApnsServer(ApnsTestCredentials credentials) {
        this.credentials = credentials;
        Map<String, ApnsVerificationKey> keysById = Map.of(credentials.keyId(), credentials.verificationKey());
        Map<ApnsVerificationKey, Set<String>> topicsByKey = Map.of(credentials.verificationKey(), Set.of(credentials.topic()));
        var validating = new ValidatingPushNotificationHandlerFactory(devicesByTopic, unregisteredSince, keysById, topicsByKey);
        try {
            this.server = new MockApnsServerBuilder()
                    .setServerCredentials(credentials.serverCertificateChainPem().toFile(),
                            credentials.serverPrivateKeyPkcs8Pem().toFile(), null)
                    .setTrustedClientCertificateChain(credentials.caCertificatePem().toFile())
                    .setHandlerFactory(session -> recording(session, validating.buildHandler(session)))
                    .build();
            this.port = server.start(0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the mock APNs server", e);
        }
    }

    /** Starts a server on an ephemeral loopback port that trusts the credentials' CA and signing key. */
    public static RecordingApnsServer start(ApnsTestCredentials credentials) {
        return new RecordingApnsServer(credentials);
    }

    private PushNotificationHandler recording(SSLSession session, PushNotificationHandler validating) {
        String clientCertificate = clientCertificate(session);
        return (Http2Headers headers, ByteBuf payload) -> {
            received.add(new ReceivedApnsNotification(toMap(headers), payload == null ? "" : payload.toString(StandardCharsets.UTF_8),
                    clientCertificate));
            RejectionReason reason = scripted.poll();
            if (reason != null) throw new RejectedNotificationException(reason);
            validating.handlePushNotification(headers, payload);
        };
    }

    private static String clientCertificate(SSLSession session) {
        try {
            return session.getPeerPrincipal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null; // token auth: no client certificate
        }
    }

    private static Map<String, String> toMap(Http2Headers headers) {
        Map<String, String> map = new HashMap<>();
        headers.forEach(e -> map.put(e.getKey().toString().toLowerCase(Locale.ROOT), e.getValue().toString()));
        return map;
    }

    /** Lets the token be addressed under the credentials' topic. */
    public RecordingApnsServer registerDevice(String token) {
        devicesByTopic.computeIfAbsent(credentials.topic(), t -> ConcurrentHashMap.newKeySet()).add(token);
        return this;
    }

    /** From now on the token is answered with 410 Unregistered carrying {@code since} as its timestamp. */
    public RecordingApnsServer unregisterDevice(String token, Instant since) {
        unregisteredSince.put(token, since);
        return this;
    }

    /** The next request (whatever it holds) is rejected with this reason; calls queue up. */
    public RecordingApnsServer rejectNext(RejectionReason reason) {
        scripted.add(reason);
        return this;
    }

    /** Every request received so far, oldest first, accepted or not. */
    public List<ReceivedApnsNotification> received() {
        return List.copyOf(received);
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.shutdown().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("mock APNs server did not shut down", e);
        }
    }
}
