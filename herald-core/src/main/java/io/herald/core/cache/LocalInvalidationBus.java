package io.herald.core.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bus of a single process (the default without Redis): publications reach this process's subscribers at once,
 * on the publisher's thread. Other processes are not told; their caches expire by TTL. Thread-safe.
 */
public final class LocalInvalidationBus implements InvalidationBus {

    private static final Logger log = LoggerFactory.getLogger(LocalInvalidationBus.class);

    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

    @Override
    public void publish(String topic, String key) {
        for (Listener l : listeners.getOrDefault(topic, List.of())) {
            try {
                l.invalidate(key);
            } catch (RuntimeException e) {
                log.warn("invalidation of {} {} failed", topic, key, e);
            }
        }
    }

    @Override
    public void subscribe(String topic, Listener listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }
}
