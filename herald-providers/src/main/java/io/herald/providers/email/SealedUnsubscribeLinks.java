package io.herald.providers.email;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Unsubscribe links {@code {baseUrl}/v1/unsubscribe/{token}} whose token is opaque: the {@link UnsubscribeScope} is
 * sealed with AES-256-GCM, so it can be neither read (no email address or user id in mail headers, URLs, proxy and
 * access logs) nor forged or altered without the key.
 *
 * <p>Why sealed and not a random id in a table: the link must work for as long as the mail is kept, on any process,
 * and making one costs no database write on the send path nor a table that grows with every email ever sent. The key
 * is derived from the same configured secret as before (environment, or a key file in the data directory); rotating
 * the secret invalidates every link already sent.
 *
 * <p>Token: {@code 2.base64url(nonce ‖ ciphertext ‖ tag)}, only URL-safe characters; the plaintext is padded to a
 * multiple of 32 bytes so the token's length says little about the address's. Tokens of the first format
 * ({@link HmacUnsubscribeLinks}, signed but readable) are no longer issued; those already in mailboxes are still
 * honoured when {@code acceptLegacy} is set, since refusing them would stop people from unsubscribing from mail
 * they already have. Thread-safe.
 */
public final class SealedUnsubscribeLinks implements UnsubscribeLinks {

    private static final String PREFIX = "2.";
    private static final byte[] ASSOCIATED = "herald-unsubscribe-v2".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int PAD = 32;
    private static final byte USER = 'u';
    private static final byte ADDRESS = 'a';
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final HmacUnsubscribeLinks legacy;
    private final String baseUrl;

    /**
     * @param secret       at least 32 bytes of random key material
     * @param baseUrl      the public base URL of the Herald server; https, except for loopback hosts in development
     * @param acceptLegacy whether tokens of the first (readable) format, issued before, are still honoured
     */
    public SealedUnsubscribeLinks(byte[] secret, String baseUrl, boolean acceptLegacy) {
        HmacUnsubscribeLinks signed = new HmacUnsubscribeLinks(secret, baseUrl); // checks the secret and the URL
        this.legacy = acceptLegacy ? signed : null;
        this.key = new SecretKeySpec(derive(secret), "AES");
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public Optional<URI> oneClickUrl(UnsubscribeScope scope) {
        return Optional.of(URI.create(baseUrl + "/v1/unsubscribe/" + seal(scope)));
    }

    public String seal(UnsubscribeScope scope) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, nonce);
            byte[] sealed = gcm.doFinal(plaintext(scope));
            return PREFIX + B64.encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The scope a token was issued for; empty if it is malformed, altered, sealed with another key, or legacy and refused. */
    public Optional<UnsubscribeScope> open(String token) {
        if (token == null) return Optional.empty();
        if (!token.startsWith(PREFIX)) return legacy == null ? Optional.empty() : legacy.verify(token);
        try {
            byte[] raw = B64D.decode(token.substring(PREFIX.length()));
            if (raw.length < NONCE + TAG_BITS / 8) return Optional.empty();
            Cipher gcm = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(raw, NONCE));
            return parse(gcm.doFinal(raw, NONCE, raw.length - NONCE));
        } catch (IllegalArgumentException | GeneralSecurityException | java.nio.BufferUnderflowException e) {
            return Optional.empty(); // bad base64, failed authentication, or a plaintext we never wrote
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding"); // not thread-safe: one per call
        gcm.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(ASSOCIATED);
        return gcm;
    }

    /** appId, kind, length-prefixed subject, length-prefixed category (empty = every category), zero padding. */
    private static byte[] plaintext(UnsubscribeScope scope) {
        boolean user = scope.userId() != null;
        byte[] subject = (user ? scope.userId() : scope.address()).getBytes(StandardCharsets.UTF_8);
        byte[] category = (scope.category() == null ? "" : scope.category()).getBytes(StandardCharsets.UTF_8);
        int length = 8 + 1 + 4 + subject.length + 4 + category.length;
        ByteBuffer b = ByteBuffer.allocate((length + PAD - 1) / PAD * PAD);
        b.putLong(scope.appId()).put(user ? USER : ADDRESS).putInt(subject.length).put(subject).putInt(category.length).put(category);
        return b.array();
    }

    private static Optional<UnsubscribeScope> parse(byte[] plain) {
        ByteBuffer b = ByteBuffer.wrap(plain);
        long appId = b.getLong();
        byte kind = b.get();
        String subject = string(b);
        String category = string(b);
        category = category.isEmpty() ? null : category;
        if (kind == USER) return Optional.of(UnsubscribeScope.ofUser(appId, subject, category));
        if (kind == ADDRESS) return Optional.of(UnsubscribeScope.ofAddress(appId, subject, category));
        return Optional.empty();
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) throw new IllegalArgumentException("bad length");
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** A key of its own for encryption (HMAC-SHA256 of a label, as HKDF-Expand does), so the secret never keys two algorithms. */
    private static byte[] derive(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Objects.requireNonNull(secret, "secret"), "HmacSHA256"));
            return mac.doFinal("herald unsubscribe token encryption v2\u0001".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
