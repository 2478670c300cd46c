package io.herald.server.wiring;

import io.herald.core.cache.InvalidationBus;
import io.herald.core.template.CompiledTemplateCache;
import io.herald.postgres.PostgresTemplateStore;

/** Template changes committed by any process drop the cached and compiled versions of that key in every process. */
public final class SharedTemplateInvalidation {

    public static final String TOPIC = "templates";

    private SharedTemplateInvalidation() {
    }

    public static void connect(PostgresTemplateStore store, CompiledTemplateCache compiled, InvalidationBus bus) {
        // after a lost connection the store's cache expires by its TTL (5 s); compiled versions never go stale
        bus.subscribe(TOPIC, key -> {
            store.invalidate(key);
            compiled.invalidate(key);
        });
        store.onChange(key -> bus.publish(TOPIC, key)); // after commit, so a process that reloads at once sees the change
    }
}
