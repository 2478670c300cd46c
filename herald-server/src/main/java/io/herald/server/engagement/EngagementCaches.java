package io.herald.server.engagement;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.herald.core.cache.InvalidationBus;
import io.herald.core.engagement.EngagementStore;
import io.herald.core.engagement.SuppressionList;
import io.herald.core.engagement.TrackingSettings;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Short-lived caches in front of tracking settings and the suppression list, asked on every email or push: this
 * node's own changes invalidate at once, other nodes' changes count within the expiry (at once with
 * {@link #shareInvalidations}, i.e. Redis).
 */
public final class EngagementCaches {

    private record Address(long appId, String address) {
    }

    /** Topics of the invalidation bus: an app's tracking settings (by app id), the suppression list (key unused). */
    public static final String TRACKING_TOPIC = "tracking-settings";
    public static final String SUPPRESSIONS_TOPIC = "suppressions";

    private final EngagementStore store;
    private volatile InvalidationBus bus;
    private final LoadingCache<Long, TrackingSettings.Settings> settings;
    private final LoadingCache<Address, Boolean> suppressed;
    private final LoadingCache<Long, Boolean> anySuppressed;

    public EngagementCaches(EngagementStore store, Duration expiry) {
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
        return (appId, address) -> anySuppressed.get(appId) && suppressed.get(new Address(appId, SuppressionList.normalise(address)));
    }

    public void settingsChanged(long appId) {
        settings.invalidate(appId);
        InvalidationBus b = bus;
        if (b != null) b.publish(TRACKING_TOPIC, Long.toString(appId));
    }

    public void suppressionsChanged() {
        dropSuppressions();
        InvalidationBus b = bus;
        if (b != null) b.publish(SUPPRESSIONS_TOPIC, "*");
    }

    /** From now on, changes go to every process through {@code bus}, and theirs come here. */
    public void shareInvalidations(InvalidationBus bus) {
        bus.subscribe(TRACKING_TOPIC, new InvalidationBus.Listener() {
            @Override
            public void invalidate(String appId) {
                settings.invalidate(Long.parseLong(appId));
            }

            @Override
            public void invalidateAll() {
                settings.invalidateAll();
            }
        });
        bus.subscribe(SUPPRESSIONS_TOPIC, new InvalidationBus.Listener() {
            @Override
            public void invalidate(String ignored) {
                dropSuppressions();
            }

            @Override
            public void invalidateAll() {
                dropSuppressions();
            }
        });
        this.bus = bus;
    }

    private void dropSuppressions() {
        anySuppressed.invalidateAll();
        suppressed.invalidateAll();
    }
}
