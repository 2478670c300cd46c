package io.herald.core.audience;

import java.time.Instant;
import java.util.regex.Pattern;

/** A named list of users of one app that a send can address at once. */
public record Topic(String key, String name, Instant createdAt, Instant updatedAt) {

    public static final int KEY_MAX = 128;
    public static final String KEY_RULE = "must be 1 to " + KEY_MAX + " characters of letters, digits and . _ -";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-]{1," + KEY_MAX + "}");

    public static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }
}
