package io.herald.server.config;

import io.herald.redis.RedisSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Redis, for what is shared across nodes: the eventId fast path, per-user limits, provider throttles and cache
 * invalidation (see docs/architecture.md for what each does while Redis is down). Unset url: no Redis.
 *
 * @param url        redis://[user:password@]host:port[/db] (or rediss:// for TLS); a standalone Redis, not Cluster
 * @param timeout    longest wait for one Redis command before the use falls back
 * @param retryAfter after a failure Redis is not asked for this long (every call falls back at once)
 * @param eventIdTtl how long the eventId fast path remembers an eventId (memory: about 100 bytes each)
 */
@ConfigurationProperties("herald.redis")
public record HeraldRedisProperties(String url, Duration timeout, Duration retryAfter, Duration eventIdTtl) {

    public HeraldRedisProperties {
        timeout = timeout == null ? RedisSettings.DEFAULT_TIMEOUT : timeout;
        retryAfter = retryAfter == null ? RedisSettings.DEFAULT_RETRY_AFTER : retryAfter;
        eventIdTtl = eventIdTtl == null ? RedisSettings.DEFAULT_EVENT_ID_TTL : eventIdTtl;
    }

    public RedisSettings settings() {
        return new RedisSettings(url, timeout, retryAfter, eventIdTtl);
    }
}
