package io.herald.providers.webpush;

import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the VAPID {@code Authorization} header (RFC 8292 section 3): {@code vapid t=<ES256 JWT>, k=<public key>}.
 * A token is made per push service origin and reused until half its validity has passed, so a busy
 * server signs a few tokens an hour instead of one per message. Thread-safe.
 */
final class VapidSigner {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HEADER = P256.base64Url("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.US_ASCII));

    private final VapidKeys keys;
    private final String subject;
    private final Duration validity;
    private final Clock clock;
    private final Map<String, Token> byAudience = new ConcurrentHashMap<>();

    private record Token(String header, Instant renewAfter) {
    }

    VapidSigner(VapidKeys keys, String subject, Duration validity, Clock clock) {
        this.keys = keys;
        this.subject = subject;
        this.validity = validity;
        this.clock = clock;
    }

    String authorization(URI endpoint) {
        String aud = origin(endpoint);
        Instant now = clock.instant();
        Token t = byAudience.get(aud);
        if (t == null || !now.isBefore(t.renewAfter())) {
            t = new Token("vapid t=" + jwt(aud, now) + ", k=" + keys.publicKeyBase64Url(), now.plus(validity.dividedBy(2)));
            byAudience.put(aud, t);
        }
        return t.header();
    }

    /** RFC 8292 section 2: aud is the origin (RFC 6454) of the push resource: scheme, host and non-default port. */
    static String origin(URI endpoint) {
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + endpoint.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private String jwt(String aud, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", aud);
        // RFC 8292 section 2: exp no more than 24 hours after the request
        claims.put("exp", now.plus(validity).getEpochSecond());
        claims.put("sub", subject);
        String signingInput = HEADER + "." + P256.base64Url(JSON.writeValueAsBytes(claims));
        return signingInput + "." + P256.base64Url(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private byte[] sign(byte[] input) {
        try {
            // JWS ES256 wants r || s, 64 bytes (RFC 7518 section 3.4), not the DER the JDK produces by default
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(keys.privateKey());
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }
}
