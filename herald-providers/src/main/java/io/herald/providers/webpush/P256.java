package io.herald.providers.webpush;

import javax.crypto.KeyAgreement;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * NIST P-256 keys in the raw forms Web Push uses: public keys as 65-byte uncompressed points
 * (0x04 || X || Y, SEC1 2.3.3; RFC 8291 section 3.1 and RFC 8292 section 3.2), private keys as the
 * 32-byte scalar. Stateless and thread-safe.
 */
final class P256 {

    static final int POINT_LENGTH = 65;
    private static final int COORDINATE = 32;
    static final ECParameterSpec PARAMS = params();

    private P256() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available in this JDK", e);
        }
    }

    static byte[] encode(PublicKey key) {
        ECPoint w = ((ECPublicKey) key).getW();
        byte[] out = new byte[POINT_LENGTH];
        out[0] = 0x04;
        unsigned(w.getAffineX(), out, 1);
        unsigned(w.getAffineY(), out, 1 + COORDINATE);
        return out;
    }

    /** @throws IllegalArgumentException when the bytes are not an uncompressed P-256 point */
    static PublicKey decodePublic(byte[] point) {
        if (point.length != POINT_LENGTH || point[0] != 0x04) {
            throw new IllegalArgumentException("not an uncompressed P-256 point (65 bytes starting with 0x04)");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + COORDINATE));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + COORDINATE, POINT_LENGTH));
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid P-256 public key", e);
        }
    }

    static PrivateKey decodePrivate(byte[] scalar) {
        if (scalar.length != COORDINATE) throw new IllegalArgumentException("a P-256 private key is 32 bytes");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid P-256 private key", e);
        }
    }

    static byte[] encodePrivate(PrivateKey key) {
        byte[] out = new byte[COORDINATE];
        unsigned(((java.security.interfaces.ECPrivateKey) key).getS(), out, 0);
        return out;
    }

    /** ECDH shared secret: the X coordinate of the shared point (RFC 8291 section 3.1). The JDK checks the peer point is on the curve. */
    static byte[] ecdh(PrivateKey own, PublicKey peer) {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(own);
            ka.doPhase(peer, true);
            return ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ECDH failed: " + e.getMessage(), e);
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lenient: browsers and config files use base64url, sometimes standard base64 or padding. */
    static byte[] fromBase64(String text) {
        String s = text.strip().replace('+', '-').replace('/', '_');
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') end--;
        return Base64.getUrlDecoder().decode(s.substring(0, end));
    }

    private static void unsigned(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        // BigInteger adds a sign byte or drops leading zeros: right-align into the fixed-width field
        int len = Math.min(b.length, COORDINATE);
        System.arraycopy(b, b.length - len, out, offset + COORDINATE - len, len);
    }

    private static ECParameterSpec params() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
