package io.herald.providers.webpush;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Web Push message encryption (RFC 8291) in the "aes128gcm" content coding (RFC 8188), one record.
 * Each message gets a fresh ephemeral sender key pair and a fresh 16-byte salt, so no two messages share
 * a content-encryption key. Stateless and thread-safe.
 */
public final class WebPushEncryption {

    /** Record size written in the header: RFC 8291 section 4 recommends 4096 and push services expect no more. */
    static final int RECORD_SIZE = 4096;
    static final int SALT_LENGTH = 16;
    static final int AUTH_LENGTH = 16;
    private static final int TAG_LENGTH = 16;
    private static final byte LAST_RECORD_DELIMITER = 0x02;
    /** salt(16) || rs(4) || idlen(1) || keyid(65): RFC 8188 section 2.1 with the sender's key as keyid (RFC 8291 section 4). */
    public static final int HEADER_LENGTH = SALT_LENGTH + 4 + 1 + P256.POINT_LENGTH;

    private static final byte[] KEY_INFO = ascii("WebPush: info\0");
    private static final byte[] CEK_INFO = ascii("Content-Encoding: aes128gcm\0");
    private static final byte[] NONCE_INFO = ascii("Content-Encoding: nonce\0");

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebPushEncryption() {
    }

    /**
     * Encrypts {@code plaintext} for one subscription.
     *
     * @param uaPublic   the subscription's p256dh key, 65-byte uncompressed point
     * @param authSecret the subscription's 16-byte auth secret
     * @return the request body: aes128gcm header followed by the single encrypted record
     * @throws IllegalArgumentException when the subscription keys are malformed
     */
    public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, uaPublic, authSecret, P256.generate(), salt);
    }

    /** Deterministic form for the RFC test vector: the caller provides the sender key pair and salt. */
    static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, KeyPair sender, byte[] salt) {
        if (authSecret.length != AUTH_LENGTH) throw new IllegalArgumentException("auth secret must be 16 bytes");
        if (salt.length != SALT_LENGTH) throw new IllegalArgumentException("salt must be 16 bytes");
        PublicKey ua = P256.decodePublic(uaPublic);
        byte[] asPublic = P256.encode(sender.getPublic());

        // RFC 8291 section 3.1: ECDH between the ephemeral sender key and the user agent's key
        byte[] ecdhSecret = P256.ecdh(sender.getPrivate(), ua);
        // RFC 8291 section 3.3: mix in the auth secret; key_info binds both public keys
        byte[] prkKey = Hkdf.extract(authSecret, ecdhSecret);
        byte[] ikm = Hkdf.expand(prkKey, Hkdf.concat(KEY_INFO, uaPublic, asPublic), 32);
        // RFC 8188 section 2.2 and 2.3: content-encryption key and nonce from the salt
        byte[] prk = Hkdf.extract(salt, ikm);
        byte[] cek = Hkdf.expand(prk, CEK_INFO, 16);
        byte[] nonce = Hkdf.expand(prk, NONCE_INFO, 12);

        // RFC 8188 section 2: the only (so last) record ends with delimiter 0x02 and no further padding;
        // with one record the sequence number is 0, so the nonce is used as derived
        byte[] record = Arrays.copyOf(plaintext, plaintext.length + 1);
        record[plaintext.length] = LAST_RECORD_DELIMITER;
        if (record.length + TAG_LENGTH > RECORD_SIZE) {
            throw new IllegalArgumentException(
                    "payload of " + plaintext.length + " bytes does not fit one " + RECORD_SIZE + "-byte record");
        }
        byte[] ciphertext = aesGcm(cek, nonce, record);

        return ByteBuffer.allocate(HEADER_LENGTH + ciphertext.length)
                .put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic)
                .put(ciphertext).array();
    }

    /** Body length for a plaintext of the given size: header + plaintext + delimiter + GCM tag. */
    public static int encryptedLength(int plaintextLength) {
        return HEADER_LENGTH + plaintextLength + 1 + TAG_LENGTH;
    }

    private static byte[] aesGcm(byte[] key, byte[] nonce, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-GCM is not available", e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
