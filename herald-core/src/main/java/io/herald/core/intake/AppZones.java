package io.herald.core.intake;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Each app's default timezone: where a local-time delivery ({@code deliverAt}) lands for a user who has no timezone.
 * An app without one falls back to the server-wide default ({@code herald.policy.default-zone}).
 */
public interface AppZones {

    Optional<ZoneId> defaultZone(long appId);

    /** Sets the app's default zone; {@code null} clears it (back to the server-wide default). */
    void setDefaultZone(long appId, ZoneId zone, Instant now);

    /** No app has its own zone: every app uses the server-wide default. */
    AppZones NONE = new AppZones() {
        @Override
        public Optional<ZoneId> defaultZone(long appId) {
            return Optional.empty();
        }

        @Override
        public void setDefaultZone(long appId, ZoneId zone, Instant now) {
            throw new UnsupportedOperationException("no store for app zones");
        }
    };
}
