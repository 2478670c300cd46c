package io.herald.core.intake;

import io.herald.core.cache.ReadCache;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Keeps the fan-out off the database for the app's zone (asked once per recipient): cached for a short TTL; a change
 * through this process applies at once, another process's after the TTL.
 */
public final class CachedAppZones implements AppZones {

    private static final int MAX_APPS = 10_000;

    private final AppZones delegate;
    private final ReadCache<Long, Optional<ZoneId>> cache;

    public CachedAppZones(AppZones delegate, Duration ttl) {
        this.delegate = delegate;
        this.cache = new ReadCache<>(ttl, MAX_APPS);
    }

    @Override
    public Optional<ZoneId> defaultZone(long appId) {
        return cache.get(appId, delegate::defaultZone);
    }

    @Override
    public void setDefaultZone(long appId, ZoneId zone, Instant now) {
        delegate.setDefaultZone(appId, zone, now);
        cache.invalidate(appId);
    }
}
