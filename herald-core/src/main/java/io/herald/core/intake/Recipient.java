package io.herald.core.intake;

import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;

import java.util.List;

/**
 * One user of a broadcast page, loaded together with the page so planning needs no query per user. devices is null
 * when they were not loaded because the send cannot reach devices (no PUSH among its channels).
 */
public record Recipient(UserProfile profile, List<Target.Device> devices) {
    public Recipient {
        devices = devices == null ? null : List.copyOf(devices);
    }
}
