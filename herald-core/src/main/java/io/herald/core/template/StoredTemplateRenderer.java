package io.herald.core.template;

import java.util.Map;

/**
 * Renders templates from a {@link TemplateStore}: the published version, or an explicit one. Compiled versions are
 * cached; the store is asked on every render (so a publish takes effect at once), which a caching store makes cheap.
 * Thread-safe.
 */
public final class StoredTemplateRenderer implements TemplateRenderer {

    private final TemplateStore store;
    private final TemplateCompiler compiler;
    private final CompiledTemplateCache cache;

    public StoredTemplateRenderer(TemplateStore store, TemplateCompiler compiler, CompiledTemplateCache cache) {
        this.store = store;
        this.compiler = compiler;
        this.cache = cache;
    }

    @Override
    public RenderedMessage render(String key, Integer version, String locale, Map<String, Object> data) {
        TemplateVersion found = (version == null ? store.published(key) : store.version(key, version))
                .orElseThrow(() -> new TemplateException(TemplateException.Kind.NOT_FOUND, version == null
                        ? "template " + key + " does not exist or has no published version"
                        : "template " + key + " has no version " + version));
        return cache.get(found, compiler::compile).render(locale, data);
    }
}
