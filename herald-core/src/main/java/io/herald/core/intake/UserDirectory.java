package io.herald.core.intake;

import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Intake's read view of users and their devices. Implementations may cache, with invalidation on change. */
public interface UserDirectory {

    Optional<UserProfile> find(long appId, String userId);

    /** Active devices of the user, each with its deviceId. */
    List<Target.Device> activeDevices(long appId, String userId);

    /**
     * The user with its active devices, or empty when there is no such user: what a send reads when the user is not
     * cached. Stores answer in one round trip; this default asks twice.
     */
    default Optional<Recipient> recipient(long appId, String userId) {
        return find(appId, userId).map(u -> new Recipient(u, activeDevices(appId, userId)));
    }

    /**
     * Many users with their active devices, by userId; users that do not exist are left out. Stores answer in a few
     * round trips; this default asks one user at a time.
     */
    default Map<String, Recipient> findAll(long appId, Collection<String> userIds) {
        Map<String, Recipient> found = new HashMap<>();
        for (String id : userIds) find(appId, id).ifPresent(u -> found.put(id, new Recipient(u, activeDevices(appId, id))));
        return found;
    }

    /** A hint that these users are about to be read one by one: a cache loads the missing ones at once. */
    default void preload(long appId, Collection<String> userIds) {
    }
}
