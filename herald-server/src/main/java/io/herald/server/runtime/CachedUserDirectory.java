package io.herald.server.runtime;

import io.herald.core.intake.UserDirectory;
import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps intake off the database for user metadata on repeated sends: profiles and devices are cached for a
 * short TTL; writes through this process invalidate at once, so only other processes' changes wait for the TTL.
 */
public final class CachedUserDirectory implements UserDirectory {

    private static final int MAX_ENTRIES = 100_000;

    private record Entry(Optional<UserProfile> user, List<Target.Device> devices, long until) {
    }

    private final UserDirectory delegate;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public CachedUserDirectory(UserDirectory delegate, Duration ttl) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public Optional<UserProfile> find(long appId, String userId) {
        return load(appId, userId).user();
    }

    @Override
    public List<Target.Device> activeDevices(long appId, String userId) {
        return load(appId, userId).devices();
    }

    public void invalidate(long appId, String userId) {
        cache.remove(key(appId, userId));
    }

    /** Forgets every cached user of the app, for changes that name no user (an address, a device id). */
    public void invalidateApp(long appId) {
        String prefix = appId + "\u0000";
        cache.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private Entry load(long appId, String userId) {
        String key = key(appId, userId);
        Entry e = cache.get(key);
        long now = System.nanoTime();
        if (e != null && e.until() - now > 0) return e;
        Optional<UserProfile> user = delegate.find(appId, userId);
        Entry fresh = new Entry(user, user.isPresent() ? List.copyOf(delegate.activeDevices(appId, userId)) : List.of(), now + ttlNanos);
        if (cache.size() >= MAX_ENTRIES) cache.clear(); // crude bound: a full reload is cheap next to unbounded memory
        cache.put(key, fresh);
        return fresh;
    }

    private static String key(long appId, String userId) {
        return appId + "\u0000" + userId;
    }
}
