package io.herald.core.inbox;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Short-lived end-user tokens for the inbox: {@code hin1.<payload>.<mac>}, both base64url, payload
 * {@code appKey \n userId \n expiry epoch seconds}, mac HMAC-SHA256 over {@code hin1.<payload>}.
 *
 * <p>The MAC key is derived per app from a server key and the app's current secret hash, so rotating an app's
 * secret (or revoking the app) invalidates every token it minted, with no token table to keep. Herald is the only
 * issuer and the only verifier, so a JWT's algorithm negotiation and key discovery would buy nothing here and
 * add the known alg-confusion pitfalls; one fixed algorithm in fifty lines is easier to review.
 */
public final class InboxTokens {

    private static final String PREFIX = "hin1.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_LENGTH = 1024;

    /** Looks up an app that may still mint and use tokens (not revoked). */
    public interface Apps {
        Optional<App> active(String appKey);
    }

    public record App(long id, String appKey, String secretHash) {
    }

    public record Minted(String token, Instant expiresAt) {
    }

    public sealed interface Verdict {
        record Valid(InboxUser user) implements Verdict {
        }

        /** {@code why} is safe to show the caller: it never says which part of a forged token was wrong. */
        record Invalid(String why) implements Verdict {
        }
    }

    private final byte[] serverKey;
    private final Apps apps;
    private final Clock clock;

    public InboxTokens(byte[] serverKey, Apps apps, Clock clock) {
        if (serverKey.length < 16) throw new IllegalArgumentException("the inbox token key needs at least 128 bits");
        this.serverKey = serverKey.clone();
        this.apps = apps;
        this.clock = clock;
    }

    /** @return empty when the app is unknown or revoked */
    public Optional<Minted> mint(String appKey, String userId, Duration ttl) {
        return apps.active(appKey).map(app -> mint(app, userId, ttl));
    }

    Minted mint(App app, String userId, Duration ttl) {
        if (userId.indexOf('\n') >= 0) throw new IllegalArgumentException("userId must not contain a line break");
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String payload = B64
                .encodeToString((app.appKey() + "\n" + userId + "\n" + expires.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        String signed = PREFIX + payload;
        return new Minted(signed + "." + B64.encodeToString(mac(app, signed)), expires);
    }

    public Verdict verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX)) return invalid();
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) return invalid();
        String signed = token.substring(0, dot);
        String[] parts;
        byte[] presentedMac;
        try {
            parts = new String(B64D.decode(signed.substring(PREFIX.length())), StandardCharsets.UTF_8).split("\n", -1);
            presentedMac = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return invalid();
        }
        if (parts.length != 3) return invalid();
        Optional<App> app = apps.active(parts[0]);
        // compare a MAC even for an unknown app, so timing does not tell which app keys exist
        byte[] expected = mac(app.orElse(new App(0, parts[0], "")), signed);
        if (app.isEmpty() || !MessageDigest.isEqual(expected, presentedMac)) return invalid();
        long exp;
        try {
            exp = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return invalid();
        }
        if (!clock.instant().isBefore(Instant.ofEpochSecond(exp))) {
            return new Verdict.Invalid(
                    "the inbox token expired at " + Instant.ofEpochSecond(exp) + "; ask the app's backend for a new one");
        }
        return new Verdict.Valid(new InboxUser(app.get().id(), parts[1]));
    }

    private byte[] mac(App app, String data) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(serverKey, "HmacSHA256"));
            byte[] appKey = derive.doFinal(("herald inbox token v1\u0000" + app.appKey() + "\u0000" + app.secretHash())
                    .getBytes(StandardCharsets.UTF_8));
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(appKey, "HmacSHA256"));
            return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static Verdict invalid() {
        return new Verdict.Invalid("the inbox token is not valid (malformed, forged, or its app's secret was rotated)");
    }
}
