package io.herald.core.cache;

/**
 * Tells every Herald process that a cached key changed, so each drops it at once instead of serving it until its TTL.
 * Best effort: a publication that cannot be sent (shared engine down) is dropped and the caches' TTL bounds the
 * staleness, so a writer always invalidates its own caches itself, synchronously, and publishes for the others.
 *
 * <p>A publication reaches every subscriber of its topic in every process, the publisher's own included (dropping a
 * key twice only costs one extra read). Subscribers are called on the engine's thread: they must be quick and must
 * not block (a {@link ReadCache#invalidate} is). Engines: {@link LocalInvalidationBus} (one process), Redis pub/sub.
 */
public interface InvalidationBus {

    /** Drops {@code key} of {@code topic} everywhere. Never throws. */
    void publish(String topic, String key);

    /** Calls {@code listener} for every key published on {@code topic} from now on, in any process. */
    void subscribe(String topic, Listener listener);

    /** What a cache does when told. */
    interface Listener {

        void invalidate(String key);

        /**
         * Publications may have been missed (the engine's connection was lost and is back): drop everything of the
         * topic. By default nothing, for caches whose TTL is short enough.
         */
        default void invalidateAll() {
        }
    }
}
