package io.herald.providers.fcm;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OAuth2 access tokens for FCM from a service account, by the JWT bearer grant (RFC 7523) that Google documents in
 * "Using OAuth 2.0 for Server to Server Applications": sign an RS256 JWT with the account's key, POST it to the
 * token URI, get a bearer token valid about an hour.
 * <p>
 * The token is cached and renewed once less than the refresh margin is left, so many sends share one token request.
 * Thread-safe: concurrent callers wait for a single renewal instead of each asking Google.
 */
final class AccessTokens {

    /** The one scope FCM HTTP v1 needs. */
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** Google accepts assertions valid for at most one hour. */
    private static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

    private final ServiceAccount account;
    private final URI tokenUri;
    private final HttpClient http;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration requestTimeout;
    private final Duration refreshMargin;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Cached current;

    private record Cached(String value, Instant refreshAt) {
    }

    /** The token endpoint refused or could not be reached; the send is retried later. */
    static final class TokenException extends IOException {
        TokenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    AccessTokens(ServiceAccount account, URI tokenUri, HttpClient http, JsonMapper json, Clock clock,
                 Duration requestTimeout, Duration refreshMargin) {
        this.account = account;
        this.tokenUri = tokenUri;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
        this.refreshMargin = refreshMargin;
    }

    URI uri() {
        return tokenUri;
    }

    /** A valid access token, from the cache when it is not about to expire. */
    String get() throws TokenException, InterruptedException {
        Cached cached = current;
        if (cached != null && clock.instant().isBefore(cached.refreshAt())) return cached.value();
        lock.lock();
        try {
            cached = current;
            if (cached != null && clock.instant().isBefore(cached.refreshAt())) return cached.value();
            current = cached = fetch();
            return cached.value();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets {@code token} (FCM answered 401 with it) so the next {@link #get()} fetches a new one. */
    void invalidate(String token) {
        lock.lock();
        try {
            if (current != null && current.value().equals(token)) current = null;
        } finally {
            lock.unlock();
        }
    }

    private Cached fetch() throws TokenException, InterruptedException {
        Instant now = clock.instant();
        String form = "grant_type=" + GRANT_TYPE.replace(":", "%3A") + "&assertion=" + assertion(now);
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TokenException("token endpoint unreachable: " + e, e);
        }
        if (response.statusCode() != 200) {
            // e.g. 400 invalid_grant: key deleted or clock skew; the body names it and holds no secret
            throw new TokenException("token endpoint answered " + response.statusCode() + ": " + abbreviate(response.body()), null);
        }
        try {
            JsonNode body = json.readTree(response.body());
            String token = body.path("access_token").asString(null);
            long expiresIn = body.path("expires_in").asLong(0);
            if (token == null || token.isBlank() || expiresIn <= 0) {
                throw new TokenException("token endpoint answered without access_token/expires_in", null);
            }
            Duration lifetime = Duration.ofSeconds(expiresIn);
            // never renew later than half-way through a short-lived token, or every send would fetch one
            Duration margin = refreshMargin.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : refreshMargin;
            return new Cached(token, now.plus(lifetime).minus(margin));
        } catch (JacksonException e) {
            throw new TokenException("token endpoint answered malformed JSON", e);
        }
    }

    private String assertion(Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (account.privateKeyId() != null) header.put("kid", account.privateKeyId());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", account.clientEmail());
        claims.put("scope", SCOPE);
        claims.put("aud", tokenUri.toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        String signingInput = base64Url(json.writeValueAsBytes(header)) + "." + base64Url(json.writeValueAsBytes(claims));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(account.privateKey());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the service-account key", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
