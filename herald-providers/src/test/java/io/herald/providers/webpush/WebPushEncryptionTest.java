package io.herald.providers.webpush;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8291 section 5 (Appendix A gives the intermediate values): fixed keys and salt must give the RFC's bytes. */
class WebPushEncryptionTest {

    static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void reproducesTheRfc8291ExampleByteForByte() {
        KeyPair sender = new KeyPair(P256.decodePublic(P256.fromBase64(AS_PUBLIC)), P256.decodePrivate(P256.fromBase64(AS_PRIVATE)));

        byte[] body = WebPushEncryption.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), P256.fromBase64(UA_PUBLIC),
                P256.fromBase64(AUTH), sender, P256.fromBase64(SALT));

        assertThat(P256.base64Url(body)).isEqualTo(BODY);
        assertThat(body).hasSize(WebPushEncryption.encryptedLength(PLAINTEXT.length()));
    }

    @Test
    void freshSaltAndSenderKeyPerMessage() {
        byte[] plaintext = PLAINTEXT.getBytes(StandardCharsets.UTF_8);
        byte[] a = WebPushEncryption.encrypt(plaintext, P256.fromBase64(UA_PUBLIC), P256.fromBase64(AUTH));
        byte[] b = WebPushEncryption.encrypt(plaintext, P256.fromBase64(UA_PUBLIC), P256.fromBase64(AUTH));

        assertThat(java.util.Arrays.copyOf(a, 16)).isNotEqualTo(java.util.Arrays.copyOf(b, 16));
        assertThat(java.util.Arrays.copyOfRange(a, 21, 86)).isNotEqualTo(java.util.Arrays.copyOfRange(b, 21, 86));
    }

    @Test
    void refusesKeysThatAreNotAP256Point() {
        byte[] notAPoint = new byte[65];
        notAPoint[0] = 4;
        assertThatThrownBy(() -> WebPushEncryption.encrypt(new byte[1], notAPoint, P256.fromBase64(AUTH)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebPushEncryption.encrypt(new byte[1], P256.fromBase64(UA_PUBLIC), new byte[15]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
