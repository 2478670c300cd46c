package io.herald.client;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of path segments and query values (RFC 3986: only unreserved characters stay as they are). */
final class UrlPaths {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlPaths() {
    }

    /** One path segment: a user id like {@code a/b c} becomes {@code a%2Fb%20c}, never a second segment. */
    static String segment(String name, String value) {
        if (value == null) throw new NullPointerException(name + " is required");
        if (value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
        return encode(value);
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
