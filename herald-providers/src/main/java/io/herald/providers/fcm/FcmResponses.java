package io.herald.providers.fcm;

import io.herald.core.model.Reason;
import io.herald.core.provider.SendResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Turns FCM HTTP v1 answers into {@link SendResult}s. Error bodies are google.rpc.Status objects
 * ({@code {"error": {"code", "message", "status", "details": [...]}}}); the FCM-specific reason is the
 * {@code errorCode} of the detail typed {@code type.googleapis.com/google.firebase.fcm.v1.FcmError}
 * (see the ErrorCode reference of FCM). Pure and thread-safe.
 */
final class FcmResponses {

    private static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
    /** FCM ErrorCode docs for QUOTA_EXCEEDED: back off "with a minimum initial delay of 1 minute". */
    static final Duration QUOTA_MIN_DELAY = Duration.ofMinutes(1);

    private FcmResponses() {
    }

    /** What one HTTP answer said, before the retry decision. */
    record Answer(int status, String errorCode, String errorStatus, String message, Duration retryAfter, String name) {

        /** 401 about our OAuth token (not THIRD_PARTY_AUTH_ERROR, which is about APNs/Web Push credentials in Firebase). */
        boolean isStaleAccessToken() {
            return status == 401 && !"THIRD_PARTY_AUTH_ERROR".equals(errorCode);
        }
    }

    static Answer parse(int status, HttpHeaders headers, String body, JsonMapper json, Clock clock) {
        Duration retryAfter = headers.firstValue("Retry-After").flatMap(v -> retryAfter(v, clock)).orElse(null);
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (JacksonException e) {
            root = json.createObjectNode(); // e.g. an HTML page from a proxy: decided by the status alone
        }
        if (status == 200) return new Answer(status, null, null, null, null, root.path("name").asString(null));
        JsonNode error = root.path("error");
        String errorCode = null;
        for (JsonNode detail : error.path("details")) {
            if (FCM_ERROR_TYPE.equals(detail.path("@type").asString(null))) errorCode = detail.path("errorCode").asString(null);
        }
        return new Answer(status, errorCode, error.path("status").asString(null), error.path("message").asString(null),
                retryAfter, null);
    }

    static SendResult toResult(Answer a) {
        if (a.status() == 200) return SendResult.accepted(a.name());
        String code = a.errorCode() != null ? a.errorCode() : a.errorStatus() != null ? a.errorStatus() : "HTTP " + a.status();
        String detail = "FCM " + a.status() + " " + code + (a.message() == null ? "" : ": " + a.message());
        return switch (code) {
            // UNREGISTERED (404): the app was uninstalled or the token expired. SENDER_ID_MISMATCH (403): the token
            // belongs to another Firebase project. Both are permanent for this token.
            case "UNREGISTERED", "SENDER_ID_MISMATCH" -> SendResult.rejected(Reason.TOKEN_UNREGISTERED, detail);
            case "QUOTA_EXCEEDED" -> SendResult.failed(detail, a.retryAfter() != null ? a.retryAfter() : QUOTA_MIN_DELAY);
            case "UNAVAILABLE", "INTERNAL" -> SendResult.failed(detail, a.retryAfter());
            // INVALID_ARGUMENT (400, also a malformed token), THIRD_PARTY_AUTH_ERROR (401, APNs/Web Push credentials
            // in the Firebase console), PERMISSION_DENIED/NOT_FOUND without FcmError (wrong project or IAM role).
            default -> a.status() == 429 || a.status() >= 500 || a.isStaleAccessToken()
                    ? SendResult.failed(detail, a.retryAfter())
                    : SendResult.rejected(Reason.PROVIDER_REJECTED, detail);
        };
    }

    /** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
    static Optional<Duration> retryAfter(String value, Clock clock) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }
}
