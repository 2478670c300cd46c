package io.herald.server.console;

import io.herald.server.http.Checks;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/** Small helpers for the console's GET filter forms. */
final class Forms {

    private Forms() {
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The operator's browser timezone, sent by console.js in the hidden tz field; UTC when missing or unknown. */
    static ZoneId zone(String tz) {
        try {
            return tz == null || tz.isBlank() ? ZoneId.of("UTC") : ZoneId.of(tz);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }

    /** A datetime-local value, read in the operator's timezone. */
    static Instant localTime(Checks c, String field, String value, ZoneId zone) {
        if (value == null) return null;
        try {
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        } catch (RuntimeException e) {
            c.add(field, "is not a date and time");
            return null;
        }
    }

    /** The current query string with {@code name} set to {@code value} (for "next page" links). */
    static String withParam(HttpServletRequest req, String name, String value) {
        StringBuilder b = new StringBuilder();
        req.getParameterMap().forEach((k, vs) -> {
            if (k.equals(name)) return;
            for (String v : vs) {
                b.append(b.isEmpty() ? "" : "&").append(UriUtils.encodeQueryParam(k, StandardCharsets.UTF_8))
                        .append('=').append(UriUtils.encodeQueryParam(v, StandardCharsets.UTF_8));
            }
        });
        return b.append(b.isEmpty() ? "" : "&").append(name).append('=').append(UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8))
                .toString();
    }
}
