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
 * @param intakeWriters    groups of single sends planned and stored at once (group commit: concurrent sends share one
 *                         look-up, one limiter statement and one transaction); default one per core, at least 2
 * @param intakeMaxGroup   most single sends in one group
 * @param intakeLinger     how long a group of single sends waits for more while another group is in the database
 * @param directSend       single sends skip Spring MVC's generic dispatch (same answers; off only to compare)
 * @param maxRequestsInProgress API requests served at once; past it, 503 with Retry-After (load shedding). Default: one
 *                         per 400 KB of maximum heap (a request in progress holds about 100 KB), 655 on 256 MB
 * @param intakeMaxWaiting single sends in intake at once (waiting for an intake thread or being stored); past it, 503
 *                         with Retry-After, except HIGH sends. Default: maxRequestsInProgress (the filter binds first).
 *                         Lower keeps room for HIGH sends among the requests in progress under a flood, but refuses
 *                         sends the server could have stored: at half, 45% fewer accepted at 4,000/s offered
 *                         (docs/benchmarks.md, "Overload")
 */
@ConfigurationProperties("herald.api")
public record ApiProperties(DataSize maxRequestSize, Integer maxBatchSize, Integer authCacheSeconds, Long appQuotaBurst,
                            Long appQuotaPerSecond, Integer intakeWriters, Integer intakeMaxGroup, Boolean directSend,
                            java.time.Duration intakeLinger, Integer maxRequestsInProgress, Integer intakeMaxWaiting) {

    public ApiProperties {
        directSend = directSend == null || directSend;
        // planning a group is CPU work: more threads than cores only switch among themselves (two against four on 2 cores:
        // docs/benchmarks.md), and a thread waiting on its commit leaves the next group to the other
        intakeWriters = intakeWriters == null ? Math.max(2, Runtime.getRuntime().availableProcessors()) : intakeWriters;
        if (intakeWriters < 1) throw new IllegalArgumentException("herald.api.intake-writers must be 1 or more");
        intakeMaxGroup = intakeMaxGroup == null ? 200 : intakeMaxGroup;
        intakeLinger = intakeLinger == null ? java.time.Duration.ofMillis(1) : intakeLinger;
        if (intakeLinger.isNegative()) throw new IllegalArgumentException("herald.api.intake-linger must not be negative");
        appQuotaBurst = appQuotaBurst == null ? 20_000L : appQuotaBurst;
        appQuotaPerSecond = appQuotaPerSecond == null ? 10_000L : appQuotaPerSecond;
        maxRequestsInProgress = maxRequestsInProgress == null
                ? (int) Math.max(64, Runtime.getRuntime().maxMemory() / (400 * 1024))
                : maxRequestsInProgress;
        if (maxRequestsInProgress < 1) throw new IllegalArgumentException("herald.api.max-requests-in-progress must be 1 or more");
        intakeMaxWaiting = intakeMaxWaiting == null ? maxRequestsInProgress : intakeMaxWaiting;
        if (intakeMaxWaiting < 1) throw new IllegalArgumentException("herald.api.intake-max-waiting must be 1 or more");
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(2) : maxRequestSize;
        maxBatchSize = maxBatchSize == null ? 1000 : maxBatchSize;
        authCacheSeconds = authCacheSeconds == null ? 5 : authCacheSeconds;
        if (authCacheSeconds < 0) throw new IllegalArgumentException("herald.api.auth-cache-seconds must be 0 (no cache) or more");
    }

    /**
     * The web server's request threads at most (BoundedRequestExecutor): the API's requests in progress and room beside
     * them for the console, health checks, tracking links, and requests being refused with 503.
     */
    public int requestThreads() {
        return maxRequestsInProgress + Math.max(64, maxRequestsInProgress / 8);
    }
}
