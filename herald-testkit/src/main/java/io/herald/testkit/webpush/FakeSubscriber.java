package io.herald.testkit.webpush;

import io.herald.core.model.WebPushSubscription;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The browser side of one subscription: a P-256 key pair and a 16-byte auth secret made the way a user agent
 * makes them (RFC 8291 section 2), and the receiver half of RFC 8291/RFC 8188 to open what arrives. Written
 * independently of the provider's encryption so the two check each other. Immutable, thread-safe.
 */
public final class FakeSubscriber {

    private final String id;
    private final String endpoint;
    private final String applicationServerKey;
    private final KeyPair keys;
    private final byte[] publicPoint;
    private final byte[] auth;

    FakeSubscriber(String id, String endpoint, String applicationServerKey) {
        this.id = id;
        this.endpoint = endpoint;
        this.applicationServerKey = applicationServerKey;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.publicPoint = point((ECPublicKey) keys.getPublic());
        this.auth = new byte[16];
        new SecureRandom().nextBytes(auth);
    }

    public String id() {
        return id;
    }

    /** What {@code PushSubscription.toJSON()} gives the application: endpoint, p256dh and auth in base64url. */
    public WebPushSubscription subscription() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return new WebPushSubscription(endpoint, b64.encodeToString(publicPoint), b64.encodeToString(auth));
    }

    /** The VAPID key this subscription was made with; the service refuses other keys (RFC 8292 section 4.2). */
    public String applicationServerKey() {
        return applicationServerKey;
    }

    /**
     * Opens an aes128gcm body (RFC 8188 section 2, single record, key derivation of RFC 8291 section 3.4).
     *
     * @throws IllegalArgumentException when the body is malformed or does not authenticate
     */
    public byte[] decrypt(byte[] body) {
        try {
            ByteBuffer in = ByteBuffer.wrap(body);
            byte[] salt = new byte[16];
            in.get(salt);
            int rs = in.getInt();
            int idlen = in.get() & 0xff;
            if (idlen != 65) throw new IllegalArgumentException("keyid must be the 65-byte sender key, was " + idlen);
            byte[] asPublic = new byte[idlen];
            in.get(asPublic);
            byte[] record = new byte[in.remaining()];
            in.get(record);
            if (record.length > rs) throw new IllegalArgumentException("more than one record (" + record.length + " > rs " + rs + ")");

            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(keys.getPrivate());
            ka.doPhase(publicKey(asPublic), true);
            byte[] ecdh = ka.generateSecret();
            byte[] prkKey = hmac(auth, ecdh);
            byte[] ikm = Arrays.copyOf(hmac(prkKey, cat(ascii("WebPush: info\0"), publicPoint, asPublic, new byte[]{1})), 32);
            byte[] prk = hmac(salt, ikm);
            byte[] cek = Arrays.copyOf(hmac(prk, cat(ascii("Content-Encoding: aes128gcm\0"), new byte[]{1})), 16);
            byte[] nonce = Arrays.copyOf(hmac(prk, cat(ascii("Content-Encoding: nonce\0"), new byte[]{1})), 12);

            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            byte[] padded = c.doFinal(record);
            int end = padded.length - 1;
            while (end >= 0 && padded[end] == 0) end--;
            if (end < 0 || padded[end] != 0x02) throw new IllegalArgumentException("last record lacks the 0x02 delimiter");
            return Arrays.copyOf(padded, end);
        } catch (GeneralSecurityException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("cannot decrypt: " + e, e);
        }
    }

    static byte[] point(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        fit(key.getW().getAffineX(), out, 1);
        fit(key.getW().getAffineY(), out, 33);
        return out;
    }

    static PublicKey publicKey(byte[] point) throws GeneralSecurityException {
        if (point.length != 65 || point[0] != 4) throw new IllegalArgumentException("not an uncompressed P-256 point");
        var params = java.security.AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        var spec = new ECPublicKeySpec(new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65))), params.getParameterSpec(java.security.spec.ECParameterSpec.class));
        return KeyFactory.getInstance("EC").generatePublic(spec);
    }

    private static void fit(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m.doFinal(data);
    }

    private static byte[] cat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
