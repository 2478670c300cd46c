package io.herald.core.intake;

import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;

import java.util.List;
import java.util.Optional;

/** Intake's read view of users and their devices. Implementations may cache, with invalidation on change. */
public interface UserDirectory {

    Optional<UserProfile> find(long appId, String userId);

    /** Active devices of the user, each with its deviceId. */
    List<Target.Device> activeDevices(long appId, String userId);
}
