package io.herald.providers.webpush;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Web Push provider.
 *
 * @param subject                VAPID contact of the operator, {@code mailto:} or {@code https:} (RFC 8292 section 2.1);
 *                               push services use it to reach you before they block you
 * @param vapidPublicKey         base64url uncompressed P-256 point; null (with a null private key) to generate keys
 * @param vapidPrivateKey        base64url 32-byte P-256 scalar; null (with a null public key) to generate keys
 * @param dataDirectory          where generated keys are kept ({@value VapidKeys#KEY_FILE_NAME}); required when the keys are not configured
 * @param defaultTtl             TTL of messages without an expiry (RFC 8030 section 5.2); default 28 days
 * @param tokenValidity          lifetime of a VAPID JWT, at most 24 hours (RFC 8292 section 2); default 12 hours
 * @param connectTimeout         TCP/TLS connect timeout; default 5 seconds
 * @param requestTimeout         whole-request timeout; default 10 seconds
 * @param allowInsecureEndpoints accept {@code http:} subscription endpoints; only for tests against a local fake
 */
public record WebPushSettings(String subject, String vapidPublicKey, String vapidPrivateKey, Path dataDirectory,
                              Duration defaultTtl, Duration tokenValidity, Duration connectTimeout, Duration requestTimeout,
                              boolean allowInsecureEndpoints) {

    public static final Duration DEFAULT_TTL = Duration.ofDays(28);
    public static final Duration DEFAULT_TOKEN_VALIDITY = Duration.ofHours(12);
    public static final Duration MAX_TOKEN_VALIDITY = Duration.ofHours(24);

    public WebPushSettings {
        Objects.requireNonNull(subject, "subject");
        if (!subject.startsWith("mailto:") && !subject.startsWith("https:")) {
            throw new IllegalArgumentException("webpush subject must be a mailto: or https: URI (RFC 8292 section 2.1)");
        }
        if ((vapidPublicKey == null) != (vapidPrivateKey == null)) {
            throw new IllegalArgumentException("configure both VAPID keys or neither (then they are generated)");
        }
        if (vapidPublicKey == null && dataDirectory == null) {
            throw new IllegalArgumentException("a data directory is needed to keep generated VAPID keys");
        }
        defaultTtl = defaultTtl == null ? DEFAULT_TTL : defaultTtl;
        tokenValidity = tokenValidity == null ? DEFAULT_TOKEN_VALIDITY : tokenValidity;
        if (tokenValidity.isNegative() || tokenValidity.isZero() || tokenValidity.compareTo(MAX_TOKEN_VALIDITY) > 0) {
            throw new IllegalArgumentException("tokenValidity must be within (0, 24h] (RFC 8292 section 2)");
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
    }

    /** Generated keys kept in {@code dataDirectory}, every other setting at its default. */
    public static WebPushSettings generatedKeys(String subject, Path dataDirectory) {
        return new WebPushSettings(subject, null, null, dataDirectory, null, null, null, null, false);
    }

    /** Configured keys, every other setting at its default. */
    public static WebPushSettings configuredKeys(String subject, String vapidPublicKey, String vapidPrivateKey) {
        return new WebPushSettings(subject, vapidPublicKey, vapidPrivateKey, null, null, null, null, null, false);
    }

    public WebPushSettings withAllowInsecureEndpoints(boolean allow) {
        return new WebPushSettings(subject, vapidPublicKey, vapidPrivateKey, dataDirectory, defaultTtl, tokenValidity,
                connectTimeout, requestTimeout, allow);
    }

    @Override
    public String toString() {
        // never print the private key
        return "WebPushSettings[subject=" + subject + ", vapidPublicKey=" + vapidPublicKey + ", dataDirectory=" + dataDirectory
                + ", defaultTtl=" + defaultTtl + ", tokenValidity=" + tokenValidity + ", allowInsecureEndpoints=" + allowInsecureEndpoints
                + "]";
    }
}
