package io.herald.server.engagement;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.herald.core.engagement.SuppressionList;
import io.herald.core.engagement.TrackingSettings;
import io.herald.postgres.PostgresEngagementStore;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Short-lived caches in front of tracking settings and the suppression list, asked on every email or push: this
 * node's own changes invalidate at once, other nodes' changes count within the expiry.
 */
public final class EngagementCaches {

    private record Address(long appId, String address) {
    }

    private final PostgresEngagementStore store;
    private final LoadingCache<Long, TrackingSettings.Settings> settings;
    private final LoadingCache<Address, Boolean> suppressed;
    private final LoadingCache<Long, Boolean> anySuppressed;

    public EngagementCaches(PostgresEngagementStore store, Duration expiry) {
        this.store = store;
        this.settings = Caffeine.newBuilder().expireAfterWrite(expiry).maximumSize(10_000).build(store::forApp);
        this.suppressed = Caffeine.newBuilder().expireAfterWrite(expiry).maximumSize(200_000)
                .build(a -> store.isSuppressed(a.appId(), a.address()));
        this.anySuppressed = Caffeine.newBuilder().expireAfterWrite(expiry).maximumSize(10_000).build(store::hasSuppressions);
    }

    public TrackingSettings tracking() {
        return new TrackingSettings() {
            @Override
            public Settings forApp(long appId) {
                return settings.get(appId);
            }

            @Override
            public Optional<String> templateOf(UUID notificationId) {
                return store.templateOf(notificationId);
            }
        };
    }

    public SuppressionList suppressions() {
        // a broadcast to a million distinct addresses of an app without suppressions costs one query, not a million
        return (appId, address) -> anySuppressed.get(appId) && suppressed.get(new Address(appId, PostgresEngagementStore.normalise(address)));
    }

    public void settingsChanged(long appId) {
        settings.invalidate(appId);
    }

    public void suppressionsChanged() {
        anySuppressed.invalidateAll();
        suppressed.invalidateAll();
    }
}
