package io.herald.server.runtime;

import io.herald.core.cache.InvalidationBus;
import io.herald.core.cache.ReadCache;
import io.herald.core.intake.Recipient;
import io.herald.core.intake.UserDirectory;
import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps intake off the database for user metadata on repeated sends: profiles and devices are cached for a
 * short TTL; writes through this process invalidate at once, so only other processes' changes wait for the TTL.
 * A read that was under way when a write invalidated never puts its older answer back (see {@link ReadCache}).
 * With {@link #shareInvalidations} (Redis), other processes' writes drop the entry at once too.
 */
public final class CachedUserDirectory implements UserDirectory {

    private static final int MAX_ENTRIES = 100_000;
    /** Topics of the invalidation bus: one user ("appId/userId"), every user of an app ("appId"). */
    public static final String USERS_TOPIC = "users";
    public static final String APP_USERS_TOPIC = "app-users";

    private record Key(long appId, String userId) {
    }

    private record Entry(Optional<UserProfile> user, List<Target.Device> devices) {
        /** A user as the store found it; null: there is no such user (cached as absent too). */
        static Entry of(Recipient found) {
            return found == null ? new Entry(Optional.empty(), List.of()) : new Entry(Optional.of(found.profile()), found.devices());
        }
    }

    private final UserDirectory delegate;
    private final ReadCache<Key, Entry> cache;
    private volatile InvalidationBus bus;

    public CachedUserDirectory(UserDirectory delegate, Duration ttl) {
        this.delegate = delegate;
        this.cache = new ReadCache<>(ttl, MAX_ENTRIES);
    }

    @Override
    public Optional<UserProfile> find(long appId, String userId) {
        return load(appId, userId).user();
    }

    @Override
    public List<Target.Device> activeDevices(long appId, String userId) {
        return load(appId, userId).devices();
    }

    /** Loads the users not cached yet in one call to the store (absent users are cached as absent too). */
    @Override
    public void preload(long appId, Collection<String> userIds) {
        Map<Key, Long> missing = new HashMap<>();
        for (String id : userIds) {
            Key k = new Key(appId, id);
            if (cache.getIfPresent(k) == null) missing.put(k, cache.stamp(k));
        }
        if (missing.isEmpty()) return;
        Map<String, Recipient> found = delegate.findAll(appId, missing.keySet().stream().map(Key::userId).toList());
        missing.forEach((k, stamp) -> {
            cache.put(k, Entry.of(found.get(k.userId())), stamp);
        });
    }

    public void invalidate(long appId, String userId) {
        cache.invalidate(new Key(appId, userId));
        InvalidationBus b = bus;
        if (b != null) b.publish(USERS_TOPIC, appId + "/" + userId);
    }

    /** Forgets every cached user of the app, for changes that name no user (an address, a device id). */
    public void invalidateApp(long appId) {
        cache.invalidateIf(k -> k.appId() == appId);
        InvalidationBus b = bus;
        if (b != null) b.publish(APP_USERS_TOPIC, Long.toString(appId));
    }

    /** From now on, invalidations go to every process through {@code bus}, and theirs come here. */
    public void shareInvalidations(InvalidationBus bus) {
        bus.subscribe(USERS_TOPIC, new InvalidationBus.Listener() {
            @Override
            public void invalidate(String key) {
                int slash = key.indexOf('/');
                cache.invalidate(new Key(Long.parseLong(key.substring(0, slash)), key.substring(slash + 1)));
            }

            @Override
            public void invalidateAll() {
                cache.invalidateAll();
            }
        });
        bus.subscribe(APP_USERS_TOPIC, key -> cache.invalidateIf(k -> k.appId() == Long.parseLong(key)));
        this.bus = bus;
    }

    private Entry load(long appId, String userId) {
        return cache.get(new Key(appId, userId), k -> Entry.of(delegate.recipient(appId, userId).orElse(null)));
    }
}
