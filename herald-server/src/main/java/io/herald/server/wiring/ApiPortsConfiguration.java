package io.herald.server.wiring;

import io.herald.postgres.PostgresTemplateCatalog;
import io.herald.postgres.PostgresTemplateStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Core ports the API layer uses that the stores do not implement themselves. */
@Configuration(proxyBeanMethods = false)
public class ApiPortsConfiguration {

    /** Templates for the API: the core's TemplateCatalog and TemplateFormat over the PostgreSQL store. */
    @Bean
    PostgresTemplateCatalog templateCatalog(PostgresTemplateStore store) {
        return new PostgresTemplateCatalog(store);
    }
}
