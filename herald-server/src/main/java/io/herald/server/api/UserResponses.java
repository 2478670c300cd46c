package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.core.model.Platform;
import io.herald.core.model.WebPushSubscription;
import io.herald.core.preference.Preferences;
import io.herald.core.user.UserAdmin;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The JSON answers of /v1/users. */
final class UserResponses {

    private UserResponses() {
    }

    /** Contacts are always present, null when unknown. */
    record User(@Schema(example = "u-123") String userId, @Schema(example = "kim@example.com") String email,
                @Schema(example = "+821012345678") String phone, @Schema(example = "ko-KR") String locale,
                @Schema(example = "Asia/Seoul") String timezone, Map<String, Object> attributes, Instant createdAt,
                Instant updatedAt) {
        static User of(UserAdmin.UserRow u, Map<String, Object> attributes) {
            return new User(u.userId(), u.email(), u.phone(), u.locale(), u.timezone(), attributes, u.createdAt(), u.updatedAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Device(UUID deviceId, Platform platform, String token, Subscription subscription, boolean active,
                  Instant registeredAt, Instant deactivatedAt) {
        static Device of(UserAdmin.DeviceRow d) {
            return new Device(d.id(), d.platform(), d.token(), d.subscription() == null ? null : Subscription.of(d.subscription()),
                    d.active(), d.registeredAt(), d.deactivatedAt());
        }
    }

    /** A browser's PushSubscription.toJSON(). */
    record Subscription(String endpoint, Keys keys) {
        static Subscription of(WebPushSubscription s) {
            return new Subscription(s.endpoint(), new Keys(s.p256dh(), s.auth()));
        }
    }

    record Keys(String p256dh, String auth) {
    }

    record Devices(List<Device> items) {
    }

    /** The preference document; quietHours is null when none are set. */
    record PreferencesView(@Schema(example = "{\"SMS\": false}") Map<String, Boolean> channels,
                           @Schema(example = "{\"marketing\": {\"EMAIL\": false}}") Map<String, Map<String, Boolean>> categories,
                           QuietHoursView quietHours, boolean unsubscribedAll) {
        static PreferencesView of(Preferences p) {
            Map<String, Map<String, Boolean>> categories = new LinkedHashMap<>();
            p.categories().forEach((k, v) -> categories.put(k, byName(v)));
            return new PreferencesView(byName(p.channels()), categories,
                    p.quietHours() == null ? null : new QuietHoursView(p.quietHours().start().toString(), p.quietHours().end().toString()),
                    p.unsubscribedAll());
        }

        private static Map<String, Boolean> byName(Map<io.herald.core.model.Channel, Boolean> switches) {
            Map<String, Boolean> out = new LinkedHashMap<>();
            switches.forEach((c, v) -> out.put(c.name(), v));
            return out;
        }
    }

    record QuietHoursView(@Schema(example = "22:00") String start, @Schema(example = "08:00") String end) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Unsubscribed(boolean unsubscribed, io.herald.core.model.Channel channel, String category, int usersUpdated) {
    }

    record InboxToken(String token, @Schema(description = "ISO-8601 instant") String expiresAt) {
    }
}
