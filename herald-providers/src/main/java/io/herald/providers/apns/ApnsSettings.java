package io.herald.providers.apns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@link ApnsProvider} needs, as plain values (the server binds them from its configuration).
 * Paths point at files outside the repository; secrets are never printed by {@link #toString()}.
 *
 * @param topic                  the app's bundle id, sent as {@code apns-topic}
 * @param auth                   token auth (.p8, preferred by Apple) or certificate auth (.p12)
 * @param gateway                production or sandbox (development) APNs; ignored when {@code host} is set
 * @param host                   explicit host, for tests and proxies; null to use the gateway
 * @param port                   port with an explicit host; 0 means 443
 * @param trustedServerCa        PEM file of a CA to trust instead of the JDK's (tests with a mock server); null in production
 * @param sendTimeout            how long one send waits for Apple's answer before reporting a transient failure
 * @param connectTimeout         TCP + TLS connect timeout
 * @param concurrentConnections  HTTP/2 connections to keep open (each multiplexes many streams)
 * @param defaultTimeToLive      how long APNs stores a notification for an offline device when the message has no expiresAt
 * @param defaultSound           sound for alerts that do not name one (e.g. {@code "default"}); null for silent
 */
public record ApnsSettings(String topic, Auth auth, Gateway gateway, String host, int port, Path trustedServerCa,
                           Duration sendTimeout, Duration connectTimeout, int concurrentConnections,
                           Duration defaultTimeToLive, String defaultSound) {

    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENT_CONNECTIONS = 1;
    /**
     * Pushes in flight per connection that each priority lane of the iOS queue asks for when its concurrency is not
     * configured. Apple says not to count on a number of streams per connection; beyond what the server allows at the
     * moment, Pushy holds the streams back on the client (Netty's stream-buffering encoder) rather than failing them.
     * At 100 ms to Apple, 500 in flight carry up to 5,000 pushes/s per connection, where the general default of 64 carried
     * 560/s on the bench (docs/benchmarks.md).
     */
    public static final int STREAMS_PER_CONNECTION = 500;
    public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofDays(7);

    public ApnsSettings {
        if (topic == null || topic.isBlank()) throw new IllegalStateException("APNs setting 'topic' (the app bundle id) is required");
        Objects.requireNonNull(auth, "APNs setting 'auth' is required");
        gateway = gateway == null ? Gateway.PRODUCTION : gateway;
        if (port < 0 || port > 65535) throw new IllegalStateException("APNs setting 'port' must be 0..65535, was " + port);
        sendTimeout = positive(sendTimeout, DEFAULT_SEND_TIMEOUT, "sendTimeout");
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        if (concurrentConnections <= 0) concurrentConnections = DEFAULT_CONCURRENT_CONNECTIONS;
        defaultTimeToLive = positive(defaultTimeToLive, DEFAULT_TIME_TO_LIVE, "defaultTimeToLive");
    }

    /** Production gateway, default timeouts, one connection, no default sound. */
    public static ApnsSettings of(String topic, Auth auth) {
        return new ApnsSettings(topic, auth, Gateway.PRODUCTION, null, 0, null, null, null, 0, null, null);
    }

    public ApnsSettings withGateway(Gateway gateway) {
        return new ApnsSettings(topic, auth, gateway, host, port, trustedServerCa, sendTimeout, connectTimeout,
                concurrentConnections, defaultTimeToLive, defaultSound);
    }

    /** Points at an explicit server (a mock, a proxy) that presents a certificate issued by {@code trustedServerCa}. */
    public ApnsSettings withServer(String host, int port, Path trustedServerCa) {
        return new ApnsSettings(topic, auth, gateway, host, port, trustedServerCa, sendTimeout, connectTimeout,
                concurrentConnections, defaultTimeToLive, defaultSound);
    }

    public ApnsSettings withTimeouts(Duration sendTimeout, Duration connectTimeout) {
        return new ApnsSettings(topic, auth, gateway, host, port, trustedServerCa, sendTimeout, connectTimeout,
                concurrentConnections, defaultTimeToLive, defaultSound);
    }

    /** HTTP/2 connections kept open to Apple (each multiplexes many streams). */
    public ApnsSettings withConcurrentConnections(int concurrentConnections) {
        return new ApnsSettings(topic, auth, gateway, host, port, trustedServerCa, sendTimeout, connectTimeout,
                concurrentConnections, defaultTimeToLive, defaultSound);
    }

    /** The host and port this provider connects to: the explicit server, else the gateway's. */
    public String endpoint() {
        if (host != null && !host.isBlank()) return host + ":" + (port == 0 ? 443 : port);
        return (gateway == Gateway.SANDBOX ? "api.sandbox.push.apple.com" : "api.push.apple.com") + ":443";
    }

    public ApnsSettings withDefaultSound(String defaultSound) {
        return new ApnsSettings(topic, auth, gateway, host, port, trustedServerCa, sendTimeout, connectTimeout,
                concurrentConnections, defaultTimeToLive, defaultSound);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) return fallback;
        if (value.isNegative() || value.isZero()) throw new IllegalStateException("APNs setting '" + name + "' must be positive");
        return value;
    }

    /** Which Apple gateway to talk to (api.push.apple.com or api.sandbox.push.apple.com). */
    public enum Gateway {
        PRODUCTION, SANDBOX
    }

    /** How the provider authenticates to Apple. */
    public sealed interface Auth {
    }

    /**
     * Token-based auth: an EC P-256 signing key from the developer account (AuthKey_KEYID.p8), its key id and the team id.
     * One key works for every app of the team and does not expire, which is why Apple recommends it.
     */
    public record Token(Path signingKeyFile, String keyId, String teamId) implements Auth {
        public Token {
            if (signingKeyFile == null) throw new IllegalStateException("APNs setting 'signingKeyFile' (.p8) is required for token auth");
            if (keyId == null || keyId.isBlank()) throw new IllegalStateException("APNs setting 'keyId' is required for token auth");
            if (teamId == null || teamId.isBlank()) throw new IllegalStateException("APNs setting 'teamId' is required for token auth");
        }
    }

    /** Certificate-based auth: the push certificate and its key in a PKCS#12 file, with the file's password. */
    public record Certificate(Path p12File, String password) implements Auth {
        public Certificate {
            if (p12File == null) throw new IllegalStateException("APNs setting 'p12File' is required for certificate auth");
        }

        @Override
        public String toString() {
            return "Certificate[p12File=" + p12File + ", password=" + (password == null ? "null" : "****") + "]";
        }
    }
}
