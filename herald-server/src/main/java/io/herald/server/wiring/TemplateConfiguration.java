package io.herald.server.wiring;

import io.herald.core.template.CompiledTemplateCache;
import io.herald.core.template.StoredTemplateRenderer;
import io.herald.core.template.TemplateCompiler;
import io.herald.core.template.TemplateRenderer;
import io.herald.postgres.PostgresTemplateStore;
import io.herald.server.config.TemplateProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Templates stored in PostgreSQL, rendered for sends and previews.
 *
 * <p>Caching, so that a send does not read the database for its template: the store keeps the published version of
 * each key (and versions asked for by number) in memory for {@code herald.templates.cache-ttl} (default 5s), and
 * compiled versions live in a {@link CompiledTemplateCache}. A publish through this process clears both for the key
 * as soon as it commits, so this process renders the new version at once; another process (a second API node)
 * picks it up within the ttl. Set the ttl to 0 to read the database on every send instead.
 */
@Configuration(proxyBeanMethods = false)
public class TemplateConfiguration {

    @Bean
    TemplateCompiler templateCompiler() {
        return new TemplateCompiler();
    }

    @Bean
    CompiledTemplateCache compiledTemplateCache() {
        return new CompiledTemplateCache(1_000);
    }

    @Bean
    PostgresTemplateStore templateStore(JdbcTemplate jdbc, TransactionTemplate tx, CompiledTemplateCache compiled,
                                        TemplateProperties props,
                                        org.springframework.beans.factory.ObjectProvider<io.herald.core.cache.InvalidationBus> buses) {
        PostgresTemplateStore store = new PostgresTemplateStore(jdbc, tx, props.cacheTtl(), System::nanoTime);
        store.onChange(compiled::invalidate);
        buses.ifAvailable(bus -> SharedTemplateInvalidation.connect(store, compiled, bus));
        return store;
    }

    @Bean
    TemplateRenderer templateRenderer(PostgresTemplateStore store, TemplateCompiler compiler, CompiledTemplateCache compiled) {
        return new StoredTemplateRenderer(store, compiler, compiled);
    }
}
