package io.herald.server.http;

/**
 * The documented maximum length, in characters, of every string the API accepts (docs/input-limits.md lists them).
 * Strings not named here are bounded by {@link StrictJson#MAX_STRING}, object keys by {@link StrictJson#MAX_KEY}.
 */
public final class FieldLimits {

    public static final int EVENT_ID = 255;
    public static final int USER_ID = 255;
    public static final int TEMPLATE_KEY = 128;
    public static final int CATEGORY = 64;
    public static final int LOCALE = 35;
    public static final int TIMEZONE = 64;
    public static final int EMAIL = 254;
    public static final int PHONE = 32;
    public static final int TOKEN = 4096;
    public static final int URL = 2048;
    public static final int TITLE = 1_000;
    public static final int SUBJECT = 998;
    public static final int BODY = 10_000;
    public static final int TEXT = 100_000;
    public static final int HTML = StrictJson.MAX_STRING;
    public static final int DETAIL = 1_000;
    public static final int APP_NAME = 200;
    public static final int USERNAME = 64;
    /** BCrypt reads at most 72 bytes; a longer password would silently be cut. */
    public static final int PASSWORD_BYTES = 72;
    /** Free-text query parameters (userId, eventId, entityId, actor, ...). */
    public static final int QUERY_VALUE = 255;

    private FieldLimits() {
    }
}
