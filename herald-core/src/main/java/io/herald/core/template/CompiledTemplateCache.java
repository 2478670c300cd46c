package io.herald.core.template;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiled templates by key and version, least recently used evicted past a size. Safe because a version's content
 * never changes; {@link #invalidate} exists for deletes and for stores that may rewrite a draft. Thread-safe.
 */
public final class CompiledTemplateCache {

    private record Key(String key, int version) {
    }

    private final Map<Key, CompiledTemplate> entries;

    public CompiledTemplateCache() {
        this(1_000);
    }

    public CompiledTemplateCache(int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompiledTemplate> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The cached compilation of {@code version}, compiling it with {@code compiler} on a miss. */
    public CompiledTemplate get(TemplateVersion version, Function<TemplateVersion, CompiledTemplate> compiler) {
        Key k = new Key(version.key(), version.version());
        synchronized (entries) {
            CompiledTemplate hit = entries.get(k);
            if (hit != null) return hit;
        }
        // compile outside the lock: a rare duplicate compile beats serialising every miss
        CompiledTemplate compiled = compiler.apply(version);
        synchronized (entries) {
            CompiledTemplate raced = entries.putIfAbsent(k, compiled);
            return raced != null ? raced : compiled;
        }
    }

    /** Drops every version of {@code key}. */
    public void invalidate(String key) {
        synchronized (entries) {
            entries.keySet().removeIf(k -> k.key().equals(key));
        }
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
