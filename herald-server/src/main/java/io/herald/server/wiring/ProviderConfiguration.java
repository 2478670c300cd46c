package io.herald.server.wiring;

import io.herald.core.model.Channel;
import io.herald.core.provider.ChannelProvider;
import io.herald.providers.email.SealedUnsubscribeLinks;
import io.herald.providers.email.UnsubscribeLinks;
import io.herald.server.config.ConfiguredProviders;
import io.herald.server.config.NodeProperties;
import io.herald.server.config.ProviderChecks;
import io.herald.server.config.ProviderProperties;
import io.herald.server.config.ProviderRegistry;
import io.herald.server.config.PublicProperties;
import io.herald.server.config.RealProviderProperties;
import io.herald.server.config.RoutingTable;
import io.herald.server.config.UnknownKeyCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real providers (see {@link ProviderFactory}), each wrapped in a circuit breaker (so failover to the next
 * provider is immediate while a vendor is down) and, when configured, a throughput limit; the routing table that
 * puts them in their channels; their start-up checks and the "providers" health details.
 */
@Configuration(proxyBeanMethods = false)
public class ProviderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProviderConfiguration.class);

    /** Closes the providers' connection pools at shutdown. */
    public static final class Closeables implements AutoCloseable {
        private final List<AutoCloseable> items = new ArrayList<>();

        synchronized <T extends AutoCloseable> T add(T item) {
            items.add(item);
            return item;
        }

        @Override
        public synchronized void close() {
            for (AutoCloseable c : items) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // shutting down: nothing useful to do
                }
            }
        }
    }

    /** Fails start-up on a key under herald. that nothing reads, before anything else is created. */
    @Bean
    static UnknownKeyCheck unknownKeyCheck() {
        return new UnknownKeyCheck();
    }

    @Bean(destroyMethod = "close")
    Closeables providerCloseables() {
        return new Closeables();
    }

    @Bean
    SealedUnsubscribeLinks unsubscribeLinks(PublicProperties pub, NodeProperties node) {
        return new SealedUnsubscribeLinks(KeyFiles.secret(pub.unsubscribeSecret(), node.dataDir().resolve("unsubscribe.key")),
                pub.baseUrl(), pub.acceptLegacyUnsubscribeTokens());
    }

    @Bean
    ConfiguredProviders configuredProviders(RealProviderProperties real, ProviderProperties props, Environment env, PublicProperties pub,
                                            NodeProperties node, UnsubscribeLinks links, Closeables closeables, Clock clock,
                                            io.herald.core.net.OutboundGuard guard,
                                            ObjectProvider<io.herald.server.runtime.SharedRateLimits> shared) {
        var factory = new ProviderFactory(real, props, ConfigurationPropertySources.get(env), pub, node.dataDir(), links, closeables, clock,
                guard);
        shared.ifAvailable(s -> factory.shareThrottles(s.providerThrottles())); // one budget per provider across processes (Redis)
        return factory.build();
    }

    @Bean
    ProviderRegistry providerRegistry(ProviderProperties props, ConfiguredProviders configured, ObjectProvider<ChannelProvider> builtIn) {
        return new ProviderRegistry(props, configured, builtIn.orderedStream().toList());
    }

    @Bean
    ProviderChecks providerChecks(ConfiguredProviders configured) {
        return new ProviderChecks(configured);
    }

    @Bean
    RoutingTable routingTable(ProviderRegistry registry, ProviderChecks checks) {
        RoutingTable table = new RoutingTable(registry, checks);
        log.info("Provider routing (failover order):\n  {}", String.join("\n  ", table.lines()));
        for (Channel c : registry.sandboxOnly()) {
            log.warn("{} has only the sandbox provider: its notifications show SENT but are NOT delivered. Configure a real provider"
                    + " (README, \"Connecting real providers\") or list one in herald.providers.channels.{}", c, c);
        }
        return table;
    }

    /** Start-up check results; DOWN while any configured provider failed its check (the detail names the fix). */
    @Bean
    HealthIndicator providers(ProviderChecks checks) {
        return () -> {
            Map<String, String> details = new LinkedHashMap<>();
            boolean failed = false;
            for (var e : checks.results().entrySet()) {
                details.put(e.getKey(), e.getValue().text());
                failed |= e.getValue().state() == ProviderChecks.State.FAILED;
            }
            return (failed ? Health.down() : Health.up()).withDetails(details).build();
        };
    }
}
