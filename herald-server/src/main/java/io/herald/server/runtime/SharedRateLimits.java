package io.herald.server.runtime;

import io.herald.core.ratelimit.RateLimiter;

/**
 * Limiters shared by every process (Redis), present only when configured.
 *
 * @param perUser           per-user limits (falls back to PostgreSQL while Redis is down)
 * @param providerThrottles providers' throughput limits (falls back to each process's own bucket while Redis is down)
 */
public record SharedRateLimits(RateLimiter perUser, RateLimiter providerThrottles) {
}
