package io.herald.core.preference;

import java.time.ZoneId;

/**
 * What the preference rules need to know of a recipient: their choices and their time zone (null: the
 * configured default). A user profile is one; the interface keeps this package from depending on where users live.
 */
public interface PreferenceHolder {

    Preferences preferences();

    ZoneId timezone();
}
