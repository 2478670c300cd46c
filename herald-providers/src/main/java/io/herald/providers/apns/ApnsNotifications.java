package io.herald.providers.apns;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pure mapping of one {@link OutboundMessage} to an APNs request (payload + headers), with the checks Apple would
 * otherwise make us pay a round trip for. No I/O; thread-safe (stateless).
 */
final class ApnsNotifications {

    /** Apple: "The maximum size allowed for a notification payload is 4096 bytes" (regular remote notifications). */
    static final int MAX_PAYLOAD_BYTES = 4096;
    /** Apple: apns-collapse-id "must not exceed 64 bytes". */
    static final int MAX_COLLAPSE_ID_BYTES = 64;

    private static final Set<String> DIRECTIVES = Set.of(ApnsProvider.DATA_BADGE, ApnsProvider.DATA_SOUND,
            ApnsProvider.DATA_CATEGORY, ApnsProvider.DATA_THREAD_ID, ApnsProvider.DATA_MUTABLE_CONTENT,
            ApnsProvider.DATA_COLLAPSE_ID);

    private ApnsNotifications() {
    }

    /** Either a request ready to send, or the permanent reason it cannot be sent. */
    sealed interface Mapped {
        record Ready(SimpleApnsPushNotification notification) implements Mapped {
        }

        record Invalid(SendResult.Rejected rejection) implements Mapped {
        }
    }

    static Mapped map(OutboundMessage message, String deviceToken, ApnsSettings settings, Instant now) {
        Content content = message.content();
        if (message.expiresAt() != null && !message.expiresAt().isAfter(now)) {
            return invalid(Reason.EXPIRED, "expired at " + message.expiresAt() + " before it was handed to APNs");
        }
        if (isBlank(content.title()) && isBlank(content.body())) {
            return invalid(Reason.TEMPLATE_ERROR, "an APNs alert needs a title or a body");
        }
        Map<String, String> data = content.data();
        if (data.containsKey("aps")) {
            return invalid(Reason.TEMPLATE_ERROR, "data key 'aps' is reserved by APNs for the system dictionary");
        }

        SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
        if (!isBlank(content.title())) payload.setAlertTitle(content.title());
        if (!isBlank(content.body())) payload.setAlertBody(content.body());
        String sound = data.getOrDefault(ApnsProvider.DATA_SOUND, settings.defaultSound());
        if (!isBlank(sound)) payload.setSound(sound);
        String badge = data.get(ApnsProvider.DATA_BADGE);
        if (badge != null) {
            try {
                payload.setBadgeNumber(Integer.parseInt(badge.trim()));
            } catch (NumberFormatException e) {
                return invalid(Reason.TEMPLATE_ERROR, "data '" + ApnsProvider.DATA_BADGE + "' must be an integer, was '" + badge + "'");
            }
        }
        if (!isBlank(data.get(ApnsProvider.DATA_CATEGORY))) payload.setCategoryName(data.get(ApnsProvider.DATA_CATEGORY));
        if (!isBlank(data.get(ApnsProvider.DATA_THREAD_ID))) payload.setThreadId(data.get(ApnsProvider.DATA_THREAD_ID));
        if (Boolean.parseBoolean(data.get(ApnsProvider.DATA_MUTABLE_CONTENT))) payload.setMutableContent(true);

        // Custom keys go beside "aps" (Apple: "custom keys ... outside the aps dictionary"); sorted for a stable payload.
        Map<String, String> custom = new TreeMap<>(data);
        custom.keySet().removeAll(DIRECTIVES);
        if (content.url() != null) custom.putIfAbsent("url", content.url());
        custom.forEach(payload::addCustomProperty);

        String json = payload.build();
        int size = json.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_PAYLOAD_BYTES) {
            return invalid(Reason.TEMPLATE_ERROR, "APNs payload is " + size + " bytes; Apple accepts at most "
                    + MAX_PAYLOAD_BYTES + " (shorten the body or the data)");
        }
        String collapseId = data.get(ApnsProvider.DATA_COLLAPSE_ID);
        if (collapseId != null && collapseId.getBytes(StandardCharsets.UTF_8).length > MAX_COLLAPSE_ID_BYTES) {
            return invalid(Reason.TEMPLATE_ERROR, "collapseId is longer than APNs' " + MAX_COLLAPSE_ID_BYTES + " bytes");
        }

        // apns-expiration: APNs stores the notification for an offline device until then (0 would mean "try once").
        Instant expiration = message.expiresAt() != null ? message.expiresAt() : now.plus(settings.defaultTimeToLive());
        // apns-priority 10 = immediately, 5 = may be delayed to save power (Apple: use 5 for non-urgent alerts).
        DeliveryPriority priority = message.priority() == Priority.HIGH ? DeliveryPriority.IMMEDIATE : DeliveryPriority.CONSERVE_POWER;
        // apns-id = our notification id: a retried send carries the same id, so duplicates are traceable at Apple.
        return new Mapped.Ready(new SimpleApnsPushNotification(deviceToken, settings.topic(), json, expiration, priority,
                PushType.ALERT, collapseId, message.id()));
    }

    private static Mapped invalid(Reason reason, String detail) {
        return new Mapped.Invalid(new SendResult.Rejected(reason, detail));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
