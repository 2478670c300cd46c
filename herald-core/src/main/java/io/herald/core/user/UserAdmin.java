package io.herald.core.user;

import io.herald.core.model.Platform;
import io.herald.core.model.WebPushSubscription;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Users of one app as its API manages them: contacts, devices, preference documents and opt-outs. */
public interface UserAdmin {

    /** A stored user; attributes and preferences as JSON text. */
    record UserRow(String userId, String email, String phone, String locale, String timezone,
                   String attributesJson, String preferencesJson, Instant createdAt, Instant updatedAt) {
    }

    record DeviceRow(UUID id, String userId, Platform platform, String token, WebPushSubscription subscription,
                     boolean active, Instant registeredAt, Instant deactivatedAt) {
    }

    /** @return true when the user was created, false when updated */
    boolean upsert(long appId, String userId, String email, String phone, String locale, String timezone,
                   String attributesJson, Instant now);

    Optional<UserRow> get(long appId, String userId);

    /** Erases the user and everything personal about them. @return false when there was no such user */
    boolean erase(long appId, String userId, Instant now);

    /** @return the device and whether it is new */
    Map.Entry<DeviceRow, Boolean> registerDevice(long appId, String userId, Platform platform, String token,
                                                 WebPushSubscription subscription, Instant now);

    List<DeviceRow> devices(long appId, String userId);

    boolean deleteDevice(long appId, String userId, UUID deviceId);

    /** @return false when there is no such user */
    boolean savePreferences(long appId, String userId, String preferencesJson, Instant now);

    /** @return false when there is no such user */
    boolean optOutEmail(long appId, String userId, String category, Instant now);

    /** Opts out every user of the app with that email address. @return how many */
    int optOutEmailAddress(long appId, String address, String category, Instant now);
}
