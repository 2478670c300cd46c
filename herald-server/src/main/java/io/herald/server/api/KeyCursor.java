package io.herald.server.api;

import io.herald.server.http.Checks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque cursor over a list ordered by one text key (topic keys, userIds): the last key shown. */
final class KeyCursor {

    private static final String PREFIX = "k1:";

    private KeyCursor() {
    }

    static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** @return the key after which the page starts, or null after recording a 400 for the parameter */
    static String decode(String cursor, Checks c) {
        if (cursor == null) return null;
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (s.startsWith(PREFIX) && s.length() > PREFIX.length()) return s.substring(PREFIX.length());
        } catch (IllegalArgumentException ignored) {
            // falls through to the same answer as any other foreign string
        }
        c.add("cursor", "is not a cursor this API gave out");
        return null;
    }

    static int limit(Integer limit, Checks c) {
        int lim = limit == null ? 50 : limit;
        if (lim < 1 || lim > 500) c.add("limit", "must be between 1 and 500");
        return lim;
    }
}
