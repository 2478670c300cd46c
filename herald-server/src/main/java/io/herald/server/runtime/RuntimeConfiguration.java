package io.herald.server.runtime;

import io.herald.postgres.PostgresAccountStore;
import io.herald.postgres.PostgresAppStore;
import io.herald.postgres.PostgresAuditLog;
import io.herald.server.config.BootstrapProperties;
import io.herald.server.security.Authenticator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

    @Bean
    Bootstrap bootstrap(BootstrapProperties props, PostgresAppStore apps, PostgresAccountStore accounts, PostgresAuditLog audit,
                        Authenticator.PasswordHasher passwords, Clock clock) {
        return new Bootstrap(props, apps, accounts, audit, passwords, clock);
    }

    /** Readiness includes the queues: the figures must be readable (the database answers for them). */
    @Bean
    HealthIndicator queues(io.herald.core.queue.DeliveryQueue queue, Clock clock) {
        return () -> {
            try {
                var stats = queue.stats(clock.instant());
                long ready = stats.stream().mapToLong(io.herald.core.queue.DeliveryQueue.LaneStats::ready).sum();
                long dead = stats.stream().mapToLong(io.herald.core.queue.DeliveryQueue.LaneStats::deadLetter).sum();
                return Health.up().withDetail("ready", ready).withDetail("deadLetter", dead).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
            }
        };
    }

}
