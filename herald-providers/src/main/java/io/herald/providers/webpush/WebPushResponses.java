package io.herald.providers.webpush;

import io.herald.core.model.Reason;
import io.herald.core.provider.SendResult;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Maps a push service's answer (RFC 8030 section 5 and 8) to a {@link SendResult}. Pure functions, thread-safe. */
final class WebPushResponses {

    private static final int MAX_DETAIL = 300;

    private WebPushResponses() {
    }

    /**
     * @param location   the Location header (the push message resource, RFC 8030 section 5), may be null
     * @param retryAfter the Retry-After header, may be null
     * @param fallbackId providerMessageId when the service gave no Location (the notification id)
     */
    static SendResult map(int status, String location, String retryAfter, String body, String fallbackId, Instant now) {
        if (status >= 200 && status < 300) {
            // 201 Created is the RFC answer; 202 when the service only accepted it; some answer 200
            return SendResult.accepted(location != null && !location.isBlank() ? location : fallbackId);
        }
        return switch (status) {
            // RFC 8030 section 7.3: the subscription expired or the user revoked it; do not send again
            case 404, 410 -> SendResult.rejected(Reason.TOKEN_UNREGISTERED, "subscription gone (HTTP " + status + ")" + suffix(body));
            case 413 -> SendResult.rejected(Reason.PROVIDER_REJECTED, "payload too large for the push service (HTTP 413)" + suffix(body));
            // 400 malformed, 401/403 VAPID refused (RFC 8292 section 4.2): the same request cannot succeed later
            case 400, 401, 403 -> SendResult.rejected(Reason.PROVIDER_REJECTED, "HTTP " + status + suffix(body));
            // 429 (RFC 8030 section 8.4) and 5xx are the push service's trouble: retry, no sooner than it asked
            case 408, 429 -> SendResult.failed("HTTP " + status + suffix(body), retryAfter(retryAfter, now).orElse(null));
            default -> status >= 500
                    ? SendResult.failed("HTTP " + status + suffix(body), retryAfter(retryAfter, now).orElse(null))
                    : status >= 400
                            ? SendResult.rejected(Reason.PROVIDER_REJECTED, "HTTP " + status + suffix(body))
                            : SendResult.failed("unexpected HTTP " + status + suffix(body));
        };
    }

    /** Retry-After as delta-seconds or an HTTP-date (RFC 9110 section 10.2.3); empty when absent or unreadable. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) return Optional.empty();
        String v = value.strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    private static String suffix(String body) {
        if (body == null || body.isBlank()) return "";
        String b = body.strip().replaceAll("\\s+", " ");
        return ": " + (b.length() > MAX_DETAIL ? b.substring(0, MAX_DETAIL) + "…" : b);
    }
}
