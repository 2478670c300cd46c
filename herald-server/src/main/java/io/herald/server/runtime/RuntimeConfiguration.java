package io.herald.server.runtime;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.AppAdmin;
import io.herald.core.admin.AuditTrail;
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
    Bootstrap bootstrap(BootstrapProperties props, AppAdmin apps, AccountAdmin accounts, AuditTrail audit,
                        Authenticator.PasswordHasher passwords, Clock clock) {
        return new Bootstrap(props, apps, accounts, audit, passwords, clock);
    }

    /**
     * Readiness includes the queues: their figures must have been readable lately. Reads the gauges' snapshot
     * (refreshed every few seconds) instead of querying on every probe.
     */
    @Bean
    HealthIndicator queues(io.herald.server.observability.QueueGauges gauges, Clock clock) {
        return () -> {
            var s = gauges.snapshot();
            if (s == null || s.at().isBefore(clock.instant().minusSeconds(30))) {
                return Health.down().withDetail("error", "queue figures unreadable since " + (s == null ? "start" : s.at())).build();
            }
            long ready = s.lanes().stream().mapToLong(io.herald.core.queue.DeliveryQueue.LaneStats::ready).sum();
            long dead = s.lanes().stream().mapToLong(io.herald.core.queue.DeliveryQueue.LaneStats::deadLetter).sum();
            return Health.up().withDetail("ready", ready).withDetail("deadLetter", dead).withDetail("at", s.at().toString()).build();
        };
    }

}
