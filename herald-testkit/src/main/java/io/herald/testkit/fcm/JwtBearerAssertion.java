package io.herald.testkit.fcm;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks an RS256 JWT bearer assertion the way Google's token endpoint does for a service account: signature by the
 * account's key, {@code kid}, issuer, audience = the token endpoint, the FCM scope, and a lifetime of at most one hour.
 */
final class JwtBearerAssertion {

    private static final long MAX_LIFETIME_SECONDS = 3600;
    private static final long CLOCK_SKEW_SECONDS = 60;

    private JwtBearerAssertion() {
    }

    /** @return the decoded header and claims */
    static TokenGrant verify(String jwt, TestServiceAccount account, String audience, Instant now, JsonMapper json) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) throw new InvalidGrant("Invalid JWT: not three segments");
        JsonNode header = json.readTree(decode(parts[0]));
        JsonNode claims = json.readTree(decode(parts[1]));
        if (!"RS256".equals(header.path("alg").asString(null))) throw new InvalidGrant("Invalid JWT: alg must be RS256");
        if (!account.privateKeyId().equals(header.path("kid").asString(null))) throw new InvalidGrant("Invalid JWT: unknown kid");
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(account.publicKey());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(decode(parts[2]))) throw new InvalidGrant("Invalid JWT Signature.");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidGrant("Invalid JWT Signature.");
        }
        if (!account.clientEmail().equals(claims.path("iss").asString(null))) throw new InvalidGrant("Invalid issuer");
        if (!audience.equals(claims.path("aud").asString(null))) throw new InvalidGrant("Invalid JWT: aud must be " + audience);
        if (!claims.path("scope").asString("").contains("https://www.googleapis.com/auth/firebase.messaging")) {
            throw new InvalidGrant("Invalid JWT: missing the firebase.messaging scope");
        }
        long iat = claims.path("iat").asLong(0);
        long exp = claims.path("exp").asLong(0);
        long t = now.getEpochSecond();
        if (iat > t + CLOCK_SKEW_SECONDS || exp <= t - CLOCK_SKEW_SECONDS || exp - iat > MAX_LIFETIME_SECONDS || exp <= iat) {
            throw new InvalidGrant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
        }
        return new TokenGrant(header, claims);
    }

    private static byte[] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            throw new InvalidGrant("Invalid JWT: bad base64url");
        }
    }

    /** Answered as 400 {"error": "invalid_grant", "error_description": message}. */
    static final class InvalidGrant extends RuntimeException {
        InvalidGrant(String message) {
            super(message);
        }
    }
}
