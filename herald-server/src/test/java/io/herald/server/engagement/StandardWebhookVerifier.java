package io.herald.server.engagement;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The receiving side of the Standard Webhooks specification, written from the specification and not from Herald's
 * signer: the secret's base64 part after "whsec_" is the HMAC-SHA256 key; the signed content is
 * "{webhook-id}.{webhook-timestamp}.{body}"; the header holds space-separated "v1,{base64}" signatures; the timestamp
 * must be within five minutes.
 */
final class StandardWebhookVerifier {

    private StandardWebhookVerifier() {
    }

    static boolean verify(String secret, String id, String timestamp, String signatureHeader, String body, Instant now) {
        if (secret == null || id == null || timestamp == null || signatureHeader == null) return false;
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(ts), now).abs().compareTo(Duration.ofMinutes(5)) > 0) return false;
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String candidate : signatureHeader.split(" ")) {
                int comma = candidate.indexOf(',');
                if (comma < 0 || !candidate.substring(0, comma).equals("v1")) continue;
                byte[] given = Base64.getDecoder().decode(candidate.substring(comma + 1));
                if (MessageDigest.isEqual(expected, given)) return true;
            }
            return false;
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
