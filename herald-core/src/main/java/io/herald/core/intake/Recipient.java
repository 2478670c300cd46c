package io.herald.core.intake;

import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;

import java.util.List;

/** One user of a broadcast page, loaded together with the page so planning needs no query per user. */
public record Recipient(UserProfile profile, List<Target.Device> devices) {
    public Recipient {
        devices = List.copyOf(devices);
    }
}
