package io.herald.providers.email;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Verifies SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature (base64 DER, header
 * X-Twilio-Email-Event-Webhook-Signature) over the timestamp header followed by the raw request body, with the
 * verification key SendGrid shows (base64 DER SubjectPublicKeyInfo).
 */
public final class SendGridEventSignature {

    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

    private final PublicKey key;

    /** @throws IllegalArgumentException when the key is not a base64 EC public key */
    public SendGridEventSignature(String base64PublicKey) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64PublicKey.trim());
            this.key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the SendGrid event webhook key is not a base64 EC public key: " + e.getMessage(), e);
        }
    }

    public boolean isValid(String signature, String timestamp, byte[] body) {
        if (signature == null || timestamp == null || body == null) return false;
        try {
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(key);
            v.update(timestamp.getBytes(StandardCharsets.UTF_8));
            v.update(body);
            return v.verify(Base64.getDecoder().decode(signature.trim()));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false; // malformed base64 or DER: not a signature of ours
        }
    }
}
