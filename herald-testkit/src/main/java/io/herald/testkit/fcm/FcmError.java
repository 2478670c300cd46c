package io.herald.testkit.fcm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The errors FCM HTTP v1 documents (ErrorCode reference), with the HTTP status and google.rpc status it pairs them
 * with. {@link #body} renders the real error shape:
 * <pre>{"error": {"code": 404, "message": "...", "status": "NOT_FOUND",
 *            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]}}</pre>
 */
public enum FcmError {
    UNSPECIFIED_ERROR(500, "INTERNAL", "Internal error encountered."), INVALID_ARGUMENT(400, "INVALID_ARGUMENT",
            "The registration token is not a valid FCM registration token"), UNREGISTERED(404, "NOT_FOUND",
                    "Requested entity was not found."), SENDER_ID_MISMATCH(403, "PERMISSION_DENIED", "SenderId mismatch"), QUOTA_EXCEEDED(
                            429, "RESOURCE_EXHAUSTED",
                            "Quota exceeded for quota metric 'Send requests' and limit 'Send requests per minute'."), UNAVAILABLE(503,
                                    "UNAVAILABLE", "The service is currently unavailable."), INTERNAL(500, "INTERNAL",
                                            "Internal error encountered."), THIRD_PARTY_AUTH_ERROR(401, "UNAUTHENTICATED",
                                                    "Auth error from APNS or Web Push Service");

    public static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";

    private final int httpStatus;
    private final String rpcStatus;
    private final String message;

    FcmError(int httpStatus, String rpcStatus, String message) {
        this.httpStatus = httpStatus;
        this.rpcStatus = rpcStatus;
        this.message = message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String rpcStatus() {
        return rpcStatus;
    }

    /** The error body FCM sends for this code. */
    public Map<String, Object> body() {
        return body(httpStatus, message, rpcStatus, List.of(Map.of("@type", FCM_ERROR_TYPE, "errorCode", name())));
    }

    /** A google.rpc.Status error body. */
    static Map<String, Object> body(int code, String message, String status, List<Map<String, Object>> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        if (!details.isEmpty()) error.put("details", details);
        return Map.of("error", error);
    }

    /** 400 with a google.rpc.BadRequest detail naming the field, as FCM answers malformed messages. */
    static Map<String, Object> badRequest(String field, String description) {
        return body(400, description, "INVALID_ARGUMENT", List.of(
                Map.of("@type", "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations", List.of(Map.of("field", field, "description", description)))));
    }

    /** 401 for a missing, unknown or expired OAuth token: Google's generic message, no FcmError detail. */
    static Map<String, Object> unauthenticated() {
        return body(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                + "or other valid authentication credential.", "UNAUTHENTICATED", List.of());
    }
}
