package io.herald.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * App keys and secrets. Secrets are 256 random bits, so a fast hash is enough to store them (a slow KDF protects
 * guessable passwords, not random keys) and keeps authentication off the hot path's CPU budget.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String newAppKey() {
        return "app_" + random(12);
    }

    public static String newAppSecret() {
        return "sk_" + random(32);
    }

    public static String hash(String secret) {
        return "sha256:" + HexFormat.of().formatHex(sha256(secret));
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    public static boolean matches(String secret, String storedHash) {
        if (secret == null || storedHash == null || !storedHash.startsWith("sha256:")) return false;
        byte[] expected = HexFormat.of().parseHex(storedHash.substring(7));
        return MessageDigest.isEqual(sha256(secret), expected);
    }

    static byte[] sha256(String s) {
        try {
            // a clone of one instance: getInstance searches the security providers, on every request (2% of a send's
            // request-thread CPU in a JFR of the steady scenario)
            return ((MessageDigest) SHA256.clone()).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final MessageDigest SHA256 = sha256Instance();

    private static MessageDigest sha256Instance() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
