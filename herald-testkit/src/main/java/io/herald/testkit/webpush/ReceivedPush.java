package io.herald.testkit.webpush;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One message the fake push service accepted, after its VAPID token was verified and its body decrypted.
 *
 * @param subscriberId the subscription it was sent to
 * @param ttl          the TTL header, seconds
 * @param urgency      the Urgency header, null when absent
 * @param topic        the Topic header, null when absent
 * @param vapidClaims  the verified JWT claims (aud, exp, sub)
 * @param plaintext    the decrypted payload
 */
public record ReceivedPush(String subscriberId, long ttl, String urgency, String topic, Map<String, Object> vapidClaims,
                           byte[] plaintext) {

    public String text() {
        return new String(plaintext, StandardCharsets.UTF_8);
    }
}
