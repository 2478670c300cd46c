package io.herald.providers.fcm;

import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure mapping of one {@link OutboundMessage} to the body of {@code projects.messages.send} (FCM HTTP v1), with the
 * checks FCM would answer INVALID_ARGUMENT for made locally. Only documented fields of the v1 Message resource are
 * used. Stateless and thread-safe.
 */
final class FcmRequests {

    /** Data key whose value becomes the collapse key (android.collapse_key, apns-collapse-id), not a data entry. */
    static final String DATA_COLLAPSE_ID = "collapseId";

    private FcmRequests() {
    }

    /** Either a JSON body ready to send, or the permanent reason it cannot be sent. */
    sealed interface Mapped {
        record Ready(String json) implements Mapped {
        }

        record Invalid(SendResult.Rejected rejection) implements Mapped {
        }
    }

    static Mapped map(OutboundMessage message, Target.Device device, Instant now, JsonMapper json) {
        Content content = message.content();
        if (message.expiresAt() != null && !message.expiresAt().isAfter(now)) {
            return invalid(Reason.EXPIRED, "expired at " + message.expiresAt() + " before it was handed to FCM");
        }
        Map<String, String> data = new TreeMap<>(content.data());
        String collapseId = data.remove(DATA_COLLAPSE_ID);
        for (String key : data.keySet()) {
            // FCM ErrorCode docs: "Invalid data key": from, gcm..., google... are used internally and rejected.
            if (key.equals("from") || key.equals("message_type") || key.startsWith("google") || key.startsWith("gcm")) {
                return invalid(Reason.TEMPLATE_ERROR, "data key '" + key + "' is reserved by FCM");
            }
        }
        if (content.url() != null) data.putIfAbsent("url", content.url());

        ObjectNode msg = json.createObjectNode();
        msg.put("token", device.token());
        ObjectNode notification = msg.putObject("notification");
        putIfPresent(notification, "title", content.title());
        putIfPresent(notification, "body", content.body());
        if (notification.isEmpty()) msg.remove("notification"); // a data-only message
        if (!data.isEmpty()) {
            ObjectNode dataNode = msg.putObject("data");
            data.forEach(dataNode::put);
        }
        Long ttlSeconds = message.expiresAt() == null
                ? null
                : Math.max(1, Duration.between(now, message.expiresAt()).toSeconds());
        switch (device.platform()) {
            case ANDROID -> android(msg, message.priority(), ttlSeconds, collapseId);
            case IOS -> apns(msg, message.priority(), message.expiresAt(), collapseId);
            case WEB -> webpush(msg, message.priority(), ttlSeconds, content.url());
        }
        ObjectNode root = json.createObjectNode();
        root.set("message", msg);
        return new Mapped.Ready(json.writeValueAsString(root));
    }

    private static void android(ObjectNode msg, Priority priority, Long ttlSeconds, String collapseId) {
        ObjectNode android = msg.putObject("android");
        // AndroidMessagePriority: HIGH wakes a dozing device; NORMAL may be delayed. Our LOW is NORMAL here.
        android.put("priority", priority == Priority.HIGH ? "HIGH" : "NORMAL");
        // ttl is a google.protobuf.Duration in JSON: seconds with an "s" suffix. Absent = FCM's default of 4 weeks.
        if (ttlSeconds != null) android.put("ttl", ttlSeconds + "s");
        putIfPresent(android, "collapse_key", collapseId);
    }

    private static void apns(ObjectNode msg, Priority priority, Instant expiresAt, String collapseId) {
        ObjectNode headers = msg.putObject("apns").putObject("headers");
        // FCM passes these APNs headers through verbatim; values must be strings.
        headers.put("apns-priority", priority == Priority.HIGH ? "10" : "5");
        if (expiresAt != null) headers.put("apns-expiration", String.valueOf(expiresAt.getEpochSecond()));
        putIfPresent(headers, "apns-collapse-id", collapseId);
    }

    private static void webpush(ObjectNode msg, Priority priority, Long ttlSeconds, String url) {
        ObjectNode webpush = msg.putObject("webpush");
        ObjectNode headers = webpush.putObject("headers");
        // RFC 8030 headers, passed through by FCM.
        headers.put("Urgency", switch (priority) {
            case HIGH -> "high";
            case NORMAL -> "normal";
            case LOW -> "low";
        });
        if (ttlSeconds != null) headers.put("TTL", String.valueOf(ttlSeconds));
        // WebpushFcmOptions.link must be HTTPS, or FCM rejects the message.
        if (url != null && url.startsWith("https://")) webpush.putObject("fcm_options").put("link", url);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) node.put(field, value);
    }

    private static Mapped invalid(Reason reason, String detail) {
        return new Mapped.Invalid(new SendResult.Rejected(reason, detail));
    }
}
