package io.herald.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How Herald reaches Redis.
 *
 * @param url        {@code redis://[user:password@]host:port[/db]} or {@code rediss://} for TLS; a standalone Redis
 *                   (or the primary of a replicated one): scripts touch many keys at once, so Redis Cluster is not
 *                   supported
 * @param timeout    longest wait for one command (and for a connect); past it the use falls back (see each use)
 * @param retryAfter after a failure, Redis is not asked again for this long: every call falls back at once instead
 *                   of each waiting for its own timeout while Redis is down or hung
 * @param eventIdTtl how long an eventId is remembered by the fast path
 */
public record RedisSettings(String url, Duration timeout, Duration retryAfter, Duration eventIdTtl) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    public static final Duration DEFAULT_EVENT_ID_TTL = Duration.ofHours(1);

    public RedisSettings {
        Objects.requireNonNull(url, "url");
        timeout = positive(timeout, DEFAULT_TIMEOUT, "timeout");
        retryAfter = positive(retryAfter, DEFAULT_RETRY_AFTER, "retryAfter");
        eventIdTtl = positive(eventIdTtl, DEFAULT_EVENT_ID_TTL, "eventIdTtl");
    }

    public static RedisSettings of(String url) {
        return new RedisSettings(url, null, null, null);
    }

    private static Duration positive(Duration d, Duration orElse, String name) {
        if (d == null) return orElse;
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        return d;
    }
}
