package io.herald.testkit.fcm;

import tools.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks FCM makes on a v1 {@code {"message": ...}} body before accepting it, reduced to what a provider can get
 * wrong: unknown fields, target choice, string-only data, reserved data keys, enum and Duration formats, string-only
 * pass-through headers, an HTTPS web link.
 */
final class FcmMessageShape {

    private static final Set<String> ANDROID_FIELDS = Set.of("collapse_key", "priority", "ttl", "restricted_package_name",
            "data", "notification", "fcm_options", "direct_boot_ok");
    /** google.protobuf.Duration in JSON: seconds with up to nine fractional digits and an "s" suffix. */
    private static final Pattern DURATION = Pattern.compile("\\d+(\\.\\d{1,9})?s");

    private FcmMessageShape() {
    }

    /** @return null when valid, else "field: description" */
    static String check(JsonNode body, Set<String> messageFields, Set<String> notificationFields) {
        JsonNode message = body.path("message");
        if (!message.isObject()) return "message: Required field 'message' is missing.";
        String unknown = unknownField(message, messageFields, "message");
        if (unknown != null) return unknown;
        int targets = (message.has("token") ? 1 : 0) + (message.has("topic") ? 1 : 0) + (message.has("condition") ? 1 : 0);
        if (targets != 1) return "message: Exactly one of token, topic or condition must be specified.";
        if (message.has("token") && (!message.get("token").isString() || message.get("token").asString().isBlank())) {
            return "message.token: The registration token is not a valid FCM registration token";
        }
        if (message.has("notification")) {
            String bad = stringObject(message.get("notification"), "message.notification");
            if (bad != null) return bad;
            unknown = unknownField(message.get("notification"), notificationFields, "message.notification");
            if (unknown != null) return unknown;
        }
        if (message.has("data")) {
            String bad = data(message.get("data"));
            if (bad != null) return bad;
        }
        if (message.has("android")) {
            String bad = android(message.get("android"));
            if (bad != null) return bad;
        }
        if (message.has("apns") && message.get("apns").has("headers")) {
            String bad = stringObject(message.get("apns").get("headers"), "message.apns.headers");
            if (bad != null) return bad;
        }
        if (message.has("webpush")) {
            JsonNode webpush = message.get("webpush");
            if (webpush.has("headers")) {
                String bad = stringObject(webpush.get("headers"), "message.webpush.headers");
                if (bad != null) return bad;
            }
            String link = webpush.path("fcm_options").path("link").asString(null);
            if (link != null && !link.startsWith("https://")) return "message.webpush.fcm_options.link: The link must be HTTPS.";
        }
        return null;
    }

    private static String data(JsonNode data) {
        String bad = stringObject(data, "message.data");
        if (bad != null) return bad;
        for (String key : data.propertyNames()) {
            // FCM ErrorCode reference, "Invalid data key"
            if (key.equals("from") || key.equals("message_type") || key.startsWith("google") || key.startsWith("gcm")) {
                return "message.data: Invalid data key: " + key;
            }
        }
        return null;
    }

    private static String android(JsonNode android) {
        String unknown = unknownField(android, ANDROID_FIELDS, "message.android");
        if (unknown != null) return unknown;
        if (android.has("priority") && !Set.of("NORMAL", "HIGH").contains(android.get("priority").asString(""))) {
            return "message.android.priority: Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), \""
                    + android.get("priority").asString("") + "\"";
        }
        if (android.has("ttl") && !DURATION.matcher(android.get("ttl").asString("")).matches()) {
            return "message.android.ttl: Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration)";
        }
        return null;
    }

    private static String stringObject(JsonNode node, String field) {
        if (!node.isObject()) return field + ": Invalid value at '" + field + "' (Map), not an object";
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isString()) {
                String at = field + "[" + i + "].value";
                return at + ": Invalid value at '" + at + "' (TYPE_STRING), " + entry.getValue();
            }
        }
        return null;
    }

    private static String unknownField(JsonNode node, Set<String> known, String field) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                return field + ": Invalid JSON payload received. Unknown name \"" + name + "\" at '" + field + "': Cannot find field.";
            }
        }
        return null;
    }
}
