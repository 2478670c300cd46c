package io.herald.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A bounded, expiring cache (Caffeine) in front of a slower read, whose invalidations cannot be undone by a read
 * that was already under way. Without that guard a reader that loaded the old value just before a write, and put
 * it just after the writer invalidated, would serve the stale value for a whole TTL.
 *
 * <p>The guard: every key hashes to one of a few generation counters. An invalidation bumps the key's counter
 * <em>before</em> removing the entry; a reader notes the counter before it loads, puts its value, and takes the
 * value out again when the counter moved meanwhile. Whatever the interleaving, either the invalidation's removal
 * comes after the put, or the reader sees the moved counter. A moved counter of another key on the same stripe
 * only costs one extra miss. Thread-safe.
 *
 * @param <K> key, with a stable {@code hashCode}
 * @param <V> value, not null
 */
public final class ReadCache<K, V> {

    private static final int STRIPES = 64;

    private final Cache<K, V> cache;
    private final boolean enabled;
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);

    /**
     * @param ttl        how long a value is served after it was loaded; zero turns caching off
     * @param maxEntries bound on the entries kept (least useful evicted first)
     * @param nanoTime   the clock entries expire by (System::nanoTime, or a test's)
     */
    public ReadCache(Duration ttl, long maxEntries, LongSupplier nanoTime) {
        if (ttl.isNegative()) throw new IllegalArgumentException("ttl must not be negative");
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.enabled = !ttl.isZero();
        // eviction and expiry maintenance on the calling thread: nothing runs in the background, tests are deterministic
        this.cache = Caffeine.newBuilder().expireAfterWrite(enabled ? ttl : Duration.ofNanos(1)).maximumSize(maxEntries)
                .ticker(nanoTime::getAsLong).executor(Runnable::run).build();
    }

    public ReadCache(Duration ttl, long maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    /** The cached value, or null. */
    public V getIfPresent(K key) {
        return enabled ? cache.getIfPresent(key) : null;
    }

    /** The cached value, else {@code loader}'s (kept unless an invalidation of the key raced with the load). */
    public V get(K key, Function<? super K, ? extends V> loader) {
        V hit = getIfPresent(key);
        if (hit != null) return hit;
        long stamp = stamp(key);
        V loaded = loader.apply(key);
        put(key, loaded, stamp);
        return loaded;
    }

    /** Note this before reading the value to {@link #put}: it is how the put knows whether it raced an invalidation. */
    public long stamp(K key) {
        return generations.get(stripe(key));
    }

    /** Keeps {@code value}, loaded after {@code stamp} was taken, unless the key was invalidated since. */
    public void put(K key, V value, long stamp) {
        if (!enabled || value == null) return;
        if (generations.get(stripe(key)) != stamp) return;
        cache.put(key, value);
        // an invalidation between the check above and the put: its removal may have come first, so undo ours
        if (generations.get(stripe(key)) != stamp) cache.asMap().remove(key, value);
    }

    public void invalidate(K key) {
        generations.incrementAndGet(stripe(key));
        cache.invalidate(key);
    }

    /** Drops every entry whose key matches, for a change that cannot name its keys (e.g. all users of an app). */
    public void invalidateIf(Predicate<? super K> matching) {
        for (int i = 0; i < STRIPES; i++) generations.incrementAndGet(i);
        cache.asMap().keySet().removeIf(matching);
    }

    public void invalidateAll() {
        for (int i = 0; i < STRIPES; i++) generations.incrementAndGet(i);
        cache.invalidateAll();
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
