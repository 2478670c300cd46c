package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** @param cacheTtl how long published template versions are cached in process (publish here invalidates at once); 0 = no cache */
@ConfigurationProperties("herald.templates")
public record TemplateProperties(Duration cacheTtl) {
    public TemplateProperties {
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
        if (cacheTtl.isNegative()) throw new IllegalArgumentException("herald.templates.cache-ttl must be 0 (no cache) or more");
    }
}
