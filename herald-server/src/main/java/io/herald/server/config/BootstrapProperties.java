package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Automation bootstrap, normally from the environment: {@code HERALD_BOOTSTRAP_APP=<appKey>:<appSecret>} and
 * {@code HERALD_BOOTSTRAP_ADMIN=<username>:<password>} make sure that app and that ADMIN exist at start (idempotent).
 */
@ConfigurationProperties("herald.bootstrap")
public record BootstrapProperties(String app, String admin) {
}
