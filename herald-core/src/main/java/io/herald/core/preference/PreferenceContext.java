package io.herald.core.preference;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;

import java.time.Instant;
import java.time.ZoneId;

/**
 * One question to the preference rules: may this notification reach this user on this channel now?
 *
 * @param preferences the user's choices ({@link Preferences#NONE} when they made none)
 * @param category    as the send named it; null when it named none
 * @param config      the category's configuration (resolved once, so rules agree)
 * @param zone        the user's timezone, or the configured default
 */
public record PreferenceContext(Preferences preferences, Channel channel, String category, CategoryConfig config,
                                Priority priority, Instant now, ZoneId zone) {

    /** The category as details name it. */
    public String categoryLabel() {
        return category == null ? "uncategorised notifications" : category;
    }
}
