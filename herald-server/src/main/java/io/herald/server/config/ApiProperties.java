package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxRequestSize  larger bodies get 413
 * @param maxBatchSize    more items in one batch get 422
 * @param authCacheSeconds how long a verified app or operator credential is trusted without a database read
 * @param appQuotaBurst    API requests an app may make at once (per process); 0 switches the quota off
 * @param appQuotaPerSecond sustained API requests per second per app (per process); past it, 429 with Retry-After
 * @param intakeWriters    transactions storing single sends at once (group commit: concurrent sends share one)
 * @param intakeMaxGroup   most single sends stored in one transaction
 * @param intakeLinger     how long a group of single sends waits for more while another group is in the database
 * @param directSend       single sends skip Spring MVC's generic dispatch (same answers; off only to compare)
 */
@ConfigurationProperties("herald.api")
public record ApiProperties(DataSize maxRequestSize, Integer maxBatchSize, Integer authCacheSeconds, Long appQuotaBurst,
                            Long appQuotaPerSecond, Integer intakeWriters, Integer intakeMaxGroup, Boolean directSend,
                            java.time.Duration intakeLinger) {
    public ApiProperties {
        directSend = directSend == null || directSend;
        intakeWriters = intakeWriters == null ? 4 : intakeWriters;
        intakeMaxGroup = intakeMaxGroup == null ? 200 : intakeMaxGroup;
        intakeLinger = intakeLinger == null ? java.time.Duration.ofMillis(1) : intakeLinger;
        if (intakeLinger.isNegative()) throw new IllegalArgumentException("herald.api.intake-linger must not be negative");
        appQuotaBurst = appQuotaBurst == null ? 20_000L : appQuotaBurst;
        appQuotaPerSecond = appQuotaPerSecond == null ? 10_000L : appQuotaPerSecond;
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(2) : maxRequestSize;
        maxBatchSize = maxBatchSize == null ? 1000 : maxBatchSize;
        authCacheSeconds = authCacheSeconds == null ? 5 : authCacheSeconds;
        if (authCacheSeconds < 0) throw new IllegalArgumentException("herald.api.auth-cache-seconds must be 0 (no cache) or more");
    }
}
