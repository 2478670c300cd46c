package io.herald.core.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.function.Function;

/**
 * Compiled templates by key and version (Caffeine, bounded by size). Safe without expiry because a version's content
 * never changes; {@link #invalidate} exists for deletes and for stores that may rewrite a draft. Thread-safe.
 */
public final class CompiledTemplateCache {

    private record Key(String key, int version) {
    }

    private final Cache<Key, CompiledTemplate> entries;

    public CompiledTemplateCache() {
        this(1_000);
    }

    public CompiledTemplateCache(int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    /** The cached compilation of {@code version}, compiling it with {@code compiler} on a miss (once per version at a time). */
    public CompiledTemplate get(TemplateVersion version, Function<TemplateVersion, CompiledTemplate> compiler) {
        return entries.get(new Key(version.key(), version.version()), k -> compiler.apply(version));
    }

    /** Drops every version of {@code key}. */
    public void invalidate(String key) {
        entries.asMap().keySet().removeIf(k -> k.key().equals(key));
    }

    public void clear() {
        entries.invalidateAll();
    }

    public int size() {
        entries.cleanUp();
        return (int) entries.estimatedSize();
    }
}
