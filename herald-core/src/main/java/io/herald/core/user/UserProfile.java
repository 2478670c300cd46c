package io.herald.core.user;

import io.herald.core.preference.PreferenceHolder;
import io.herald.core.preference.Preferences;

import java.time.ZoneId;
import java.util.Map;

/** A user of one app as intake needs it. email and phone are already validated (phone in E.164). */
public record UserProfile(long appId, String userId, String email, String phone, String locale, ZoneId timezone,
                          Map<String, Object> attributes, Preferences preferences)
        implements
            PreferenceHolder {
    public UserProfile {
        attributes = attributes == null ? Map.of() : attributes;
        preferences = preferences == null ? Preferences.NONE : preferences;
    }
}
