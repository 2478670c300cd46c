package io.herald.server.http;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Collects field errors of one request, so a client learns everything wrong at once, then throws a 422.
 * Also normalises contacts: phone numbers to E.164 (libphonenumber), emails trimmed.
 */
public final class Checks {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    // deliberately simple: one @, a dot in the domain, no spaces; the mail server is the final judge
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._:@+\\-]{1," + FieldLimits.USER_ID + "}$");
    public static final String ID_RULE = "must be 1 to " + FieldLimits.USER_ID + " characters of letters, digits and . _ : @ + -";

    private final List<ApiProblem.FieldError> errors = new ArrayList<>();

    public Checks add(String field, String message) {
        errors.add(new ApiProblem.FieldError(field, message));
        return this;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** For query parameters: a 400 naming each bad parameter. */
    public void throwAsBadParameters() {
        if (errors.isEmpty()) return;
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " parameters are invalid";
        throw new ApiProblem(400, "Bad parameter", detail, errors);
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) throw ApiProblem.invalid(errors);
    }

    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    public static void id(String field, String value) {
        if (!isId(value)) throw ApiProblem.invalid(field, ID_RULE);
    }

    /** @return true when the value is absent or short enough; records an error otherwise */
    public boolean maxLength(String field, String value, int max) {
        if (value == null || value.length() <= max) return true;
        add(field, "must be at most " + max + " characters (got " + value.length() + ")");
        return false;
    }

    public String email(String field, String value) {
        if (value == null) return null;
        String v = value.trim();
        if (v.length() > FieldLimits.EMAIL || !EMAIL.matcher(v).matches()) {
            add(field, v.length() > FieldLimits.EMAIL
                    ? "must be at most " + FieldLimits.EMAIL + " characters"
                    : "'" + value + "' is not a valid email address");
            return null;
        }
        return v;
    }

    /** @return the number in E.164, or null after recording an error */
    public String phone(String field, String value) {
        if (value == null || !maxLength(field, value, FieldLimits.PHONE)) return null;
        try {
            var n = PHONES.parse(value, "ZZ"); // no default region: numbers must carry their country code
            if (!PHONES.isValidNumber(n)) {
                add(field, "'" + value + "' is not a valid phone number");
                return null;
            }
            return PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            add(field, "'" + value + "' is not a phone number in international form (E.164, like +14155550100)");
            return null;
        }
    }

    public String timezone(String field, String value) {
        if (value == null || !maxLength(field, value, FieldLimits.TIMEZONE)) return null;
        try {
            return ZoneId.of(value).getId();
        } catch (DateTimeException e) {
            add(field, "'" + value + "' is not an IANA time zone (like Asia/Seoul)");
            return null;
        }
    }

    public String locale(String field, String value) {
        if (value == null || !maxLength(field, value, FieldLimits.LOCALE)) return null;
        try {
            return new Locale.Builder().setLanguageTag(value).build().toLanguageTag();
        } catch (IllformedLocaleException e) {
            add(field, "'" + value + "' is not a BCP 47 language tag (like ko-KR)");
            return null;
        }
    }

    public <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
        if (value == null) return null;
        if (value.length() > 64) {
            add(field, "is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            add(field, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            return null;
        }
    }

    public java.time.Instant instant(String field, String value) {
        if (value == null || !maxLength(field, value, 64)) return null;
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            add(field, "'" + value + "' is not an ISO-8601 timestamp with offset (like 2026-11-23T09:00:00+09:00)");
            return null;
        }
    }
}
