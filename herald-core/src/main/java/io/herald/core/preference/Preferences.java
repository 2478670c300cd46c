package io.herald.core.preference;

import io.herald.core.model.Channel;

import java.util.Map;

/**
 * What one user chose to receive, stored as one JSON document per user (a new category needs no schema change).
 *
 * @param channels    channel switches; a missing channel means "not set" (defaults apply)
 * @param categories  per category, per channel switches
 * @param quietHours  null when none
 * @param unsubscribedAll global unsubscribe (categories that cannot be opted out of still go through)
 */
public record Preferences(Map<Channel, Boolean> channels, Map<String, Map<Channel, Boolean>> categories,
                          QuietHours quietHours, boolean unsubscribedAll) {

    public static final Preferences NONE = new Preferences(Map.of(), Map.of(), null, false);

    public Preferences {
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        categories = categories == null ? Map.of() : Map.copyOf(categories);
    }
}
