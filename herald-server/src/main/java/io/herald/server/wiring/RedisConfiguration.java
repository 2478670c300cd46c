package io.herald.server.wiring;

import io.herald.core.cache.InvalidationBus;
import io.herald.core.intake.EventIdFastPath;
import io.herald.core.ratelimit.FailoverRateLimiter;
import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.postgres.ratelimit.PostgresRateLimiter;
import io.herald.redis.RedisEngine;
import io.herald.redis.cache.RedisInvalidationBus;
import io.herald.redis.dedup.RedisEventIdFastPath;
import io.herald.redis.ratelimit.RedisRateLimiter;
import io.herald.server.config.HeraldRedisProperties;
import io.herald.server.runtime.SharedRateLimits;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The Redis engine, only when {@code herald.redis.url} is set. Its beans are picked up where they are optional
 * (intake's fast path, the recipient policy's limiter, provider throttles, the caches' invalidation bus); without
 * them every use stays on its standalone engine.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${herald.redis.url:}'.isBlank()")
public class RedisConfiguration {

    @Bean(destroyMethod = "close")
    RedisEngine redisEngine(HeraldRedisProperties props) {
        return new RedisEngine(props.settings());
    }

    @Bean
    EventIdFastPath eventIdFastPath(RedisEngine redis, HeraldRedisProperties props) {
        return new RedisEventIdFastPath(redis, props.settings().eventIdTtl());
    }

    @Bean
    SharedRateLimits sharedRateLimits(RedisEngine redis, PostgresRateLimiter postgres, Clock clock) {
        RedisRateLimiter shared = new RedisRateLimiter(redis, clock);
        return new SharedRateLimits(new FailoverRateLimiter(shared, postgres, "per-user limits"),
                new FailoverRateLimiter(shared, new InMemoryRateLimiter(clock), "provider throttles"));
    }

    @Bean(destroyMethod = "close")
    InvalidationBus invalidationBus(RedisEngine redis) {
        return new RedisInvalidationBus(redis);
    }
}
