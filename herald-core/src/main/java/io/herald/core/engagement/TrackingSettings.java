package io.herald.core.engagement;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Where open and click tracking is switched off: per app, and per template within an app. */
public interface TrackingSettings {

    record Settings(boolean enabled, Set<String> disabledTemplates) {
        public static final Settings DEFAULT = new Settings(true, Set.of());

        public Settings {
            disabledTemplates = Set.copyOf(disabledTemplates);
        }
    }

    Settings forApp(long appId);

    /** The template a notification was rendered from, if any. */
    Optional<String> templateOf(UUID notificationId);
}
