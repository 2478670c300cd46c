package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxRequestSize  larger bodies get 413
 * @param maxBatchSize    more items in one batch get 422
 * @param authCacheSeconds how long a verified app or operator credential is trusted without a database read
 */
@ConfigurationProperties("herald.api")
public record ApiProperties(DataSize maxRequestSize, Integer maxBatchSize, Integer authCacheSeconds) {
    public ApiProperties {
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(2) : maxRequestSize;
        maxBatchSize = maxBatchSize == null ? 1000 : maxBatchSize;
        authCacheSeconds = authCacheSeconds == null ? 5 : authCacheSeconds;
    }
}
