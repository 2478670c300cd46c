package io.herald.providers.email;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The first token format, no longer issued: {@link SealedUnsubscribeLinks} makes opaque tokens and uses this class only
 * to honour links already in mailboxes. Its token carries the {@link UnsubscribeScope} (an email address or user id)
 * readable, with an HMAC-SHA256 over it, so the server needs no table of issued links and a token cannot be forged or
 * altered without the secret. Tokens do not expire: RFC 8058 links must keep working for as long as the mail is kept.
 * Rotating the secret invalidates every link already sent.
 *
 * <p>Token: {@code 1.appId.kind.base64url(subject).base64url(category).base64url(hmac)}, only URL-safe characters.
 * Immutable and thread-safe (a {@link Mac} is created per call, since Mac instances are not).
 */
public final class HmacUnsubscribeLinks implements UnsubscribeLinks {

    private static final String VERSION = "1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final String baseUrl;

    /**
     * @param secret  at least 32 bytes of random key material
     * @param baseUrl the public base URL of the Herald server, e.g. {@code https://notify.example.com}; HTTPS is
     *                required (RFC 8058 section 3.1) except for loopback hosts used in development
     */
    public HmacUnsubscribeLinks(byte[] secret, String baseUrl) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) throw new IllegalArgumentException("the unsubscribe secret needs at least 32 bytes");
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        URI base = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
        boolean loopback = "localhost".equals(base.getHost()) || "127.0.0.1".equals(base.getHost());
        if (!"https".equals(base.getScheme()) && !("http".equals(base.getScheme()) && loopback)) {
            throw new IllegalArgumentException("the unsubscribe base URL must be https: " + baseUrl);
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public Optional<URI> oneClickUrl(UnsubscribeScope scope) {
        return Optional.of(URI.create(baseUrl + "/v1/unsubscribe/" + sign(scope)));
    }

    public String sign(UnsubscribeScope scope) {
        String payload = payload(scope);
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** The scope a token was issued for, or empty if it is malformed or its signature does not match. */
    public Optional<UnsubscribeScope> verify(String token) {
        if (token == null) return Optional.empty();
        int lastDot = token.lastIndexOf('.');
        if (lastDot < 0) return Optional.empty();
        String payload = token.substring(0, lastDot);
        byte[] given;
        try {
            given = B64D.decode(token.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // constant-time comparison: the time taken must not tell how many leading bytes were right
        if (!MessageDigest.isEqual(mac(payload), given)) return Optional.empty();
        return parse(payload);
    }

    private static String payload(UnsubscribeScope scope) {
        boolean user = scope.userId() != null;
        String subject = user ? scope.userId() : scope.address();
        return String.join(".", VERSION, Long.toString(scope.appId()), user ? "u" : "a", encode(subject),
                encode(scope.category() == null ? "" : scope.category()));
    }

    private static Optional<UnsubscribeScope> parse(String payload) {
        String[] parts = payload.split("\\.", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0])) return Optional.empty();
        try {
            long appId = Long.parseLong(parts[1]);
            String subject = decode(parts[3]);
            String category = decode(parts[4]);
            category = category.isEmpty() ? null : category;
            return switch (parts[2]) {
                case "u" -> Optional.of(UnsubscribeScope.ofUser(appId, subject, category));
                case "a" -> Optional.of(UnsubscribeScope.ofAddress(appId, subject, category));
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String encode(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(B64D.decode(s), StandardCharsets.UTF_8);
    }
}
