package io.herald.server.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The user:password pair of an {@code Authorization: Basic} header. */
public record BasicCredentials(String user, String password) {

    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            // a NUL would reach the database in the key lookup; no real key or secret is that long
            if (colon <= 0 || colon > 255 || decoded.length() > 1024 || decoded.indexOf('\u0000') >= 0) return Optional.empty();
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + user + ", ****]"; // never print the secret
    }
}
