package io.herald.client.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's notification choices. {@code PUT} replaces them as a whole.
 *
 * @param channels        on/off per channel, e.g. {@code SMS=false}
 * @param categories      on/off per channel within a category, e.g. {@code marketing -> {EMAIL=false}}
 * @param quietHours      the user's quiet hours; null for none
 * @param unsubscribedAll the user opted out of everything that can be opted out of
 */
public record Preferences(Map<Channel, Boolean> channels, Map<String, Map<Channel, Boolean>> categories, QuietHours quietHours,
                          boolean unsubscribedAll) {

    public Preferences {
        channels = channels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        Map<String, Map<Channel, Boolean>> copy = new LinkedHashMap<>();
        if (categories != null) categories.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        categories = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Preferences}; an empty builder means "everything on, no quiet hours". Not thread-safe. */
    public static final class Builder {
        private final Map<Channel, Boolean> channels = new EnumMap<>(Channel.class);
        private final Map<String, Map<Channel, Boolean>> categories = new LinkedHashMap<>();
        private QuietHours quietHours;
        private boolean unsubscribedAll;

        private Builder() {
        }

        public Builder channel(Channel channel, boolean enabled) {
            channels.put(channel, enabled);
            return this;
        }

        public Builder category(String category, Channel channel, boolean enabled) {
            categories.computeIfAbsent(category, k -> new EnumMap<>(Channel.class)).put(channel, enabled);
            return this;
        }

        public Builder quietHours(QuietHours quietHours) {
            this.quietHours = quietHours;
            return this;
        }

        public Builder unsubscribedAll(boolean unsubscribedAll) {
            this.unsubscribedAll = unsubscribedAll;
            return this;
        }

        public Preferences build() {
            return new Preferences(channels, categories, quietHours, unsubscribedAll);
        }
    }
}
