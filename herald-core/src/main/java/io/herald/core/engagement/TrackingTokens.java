package io.herald.core.engagement;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The tokens of open pixels and tracked links: which notification, and which of its links, signed with a server key.
 * They carry no address, URL or user id (the URL is looked up from the stored notification by its index), so a token
 * reveals nothing, and an altered one fails its signature.
 */
public final class TrackingTokens {

    public enum Kind {
        OPEN, CLICK
    }

    /** @param index 0 for the push/in-app url, 1.. for the n-th link of the email html; 0 for opens */
    public record Link(Kind kind, UUID notificationId, int index) {
        public Link {
            if (index < 0 || index > 0xFFFF) throw new IllegalArgumentException("link index out of range: " + index);
        }
    }

    private static final int PAYLOAD = 1 + 16 + 2;
    private static final int MAC = 16;

    private final SecretKeySpec key;

    public TrackingTokens(byte[] key) {
        if (key.length < 16) throw new IllegalArgumentException("tracking key must have at least 16 bytes");
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    public String sign(Link link) {
        ByteBuffer b = ByteBuffer.allocate(PAYLOAD + MAC);
        b.put((byte) link.kind().ordinal());
        b.putLong(link.notificationId().getMostSignificantBits()).putLong(link.notificationId().getLeastSignificantBits());
        b.putShort((short) link.index());
        b.put(mac(b.array(), PAYLOAD));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** @return the link, or empty when the token is malformed or its signature does not match */
    public Optional<Link> open(String token) {
        if (token == null || token.length() > 64) return Optional.empty();
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // the decoder ignores a last character's unused bits: only the one canonical spelling of a token is accepted
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(token)) return Optional.empty();
        if (raw.length != PAYLOAD + MAC) return Optional.empty();
        byte[] expected = mac(raw, PAYLOAD);
        byte[] given = java.util.Arrays.copyOfRange(raw, PAYLOAD, PAYLOAD + MAC);
        if (!MessageDigest.isEqual(expected, given)) return Optional.empty();
        ByteBuffer b = ByteBuffer.wrap(raw);
        int kind = b.get();
        if (kind < 0 || kind >= Kind.values().length) return Optional.empty();
        UUID id = new UUID(b.getLong(), b.getLong());
        int index = Short.toUnsignedInt(b.getShort());
        return Optional.of(new Link(Kind.values()[kind], id, index));
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return java.util.Arrays.copyOf(mac.doFinal(), MAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
