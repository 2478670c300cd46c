package io.herald.server.config;

import io.herald.core.model.Channel;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which providers deliver each channel, in failover order, e.g. {@code herald.providers.channels.EMAIL=relay-eu,sendgrid}.
 * A channel left out takes every configured provider of that channel (in the order of {@link ProviderType}, then
 * named instances by name), or the sandbox, which records instead of sending, when none is configured.
 *
 * @param instances named provider instances, each with a {@code type} (smtp, twilio, ...) and that type's settings,
 *                  e.g. {@code herald.providers.instances.relay-eu.type=smtp}, {@code ...relay-eu.host=smtp.eu.example.com}
 * @param routing   per channel, providers to try first for some recipients (the channel's others follow as failover):
 *                  for SMS keyed by calling code or region ({@code herald.providers.routing.SMS.[+82]=sms-kr},
 *                  {@code ...SMS.CA=...}), for EMAIL by domain suffix ({@code herald.providers.routing.EMAIL.[example.de]=relay-eu});
 *                  see {@link io.herald.providers.resilience.RegionRoutingSettings}
 */
@ConfigurationProperties("herald.providers")
public record ProviderProperties(Map<Channel, List<String>> channels, Sandbox sandbox, Map<String, Instance> instances,
                                 Map<Channel, Map<String, List<String>>> routing) {

    public ProviderProperties {
        Map<Channel, List<String>> m = new EnumMap<>(Channel.class);
        if (channels != null) channels.forEach((c, names) -> {
            if (names != null && !names.isEmpty()) m.put(c, List.copyOf(names));
        });
        channels = m;
        sandbox = sandbox == null ? new Sandbox(null, null, null) : sandbox;
        instances = instances == null ? Map.of() : Map.copyOf(instances);
        Map<Channel, Map<String, List<String>>> r = new EnumMap<>(Channel.class);
        if (routing != null) routing.forEach((c, rules) -> {
            if (rules != null && !rules.isEmpty()) r.put(c, Map.copyOf(rules));
        });
        routing = r;
    }

    /** The sandbox: optional added latency and fraction of transient failures, for tests, demos and benchmarks. */
    public record Sandbox(Duration latency, Double failureRate, Integer keep) {
        public Sandbox {
            latency = latency == null ? Duration.ZERO : latency;
            failureRate = failureRate == null ? 0.0 : failureRate;
            keep = keep == null ? 1000 : keep;
        }
    }

    /** The type of a named instance; its other settings are bound from the same prefix as that type's settings. */
    public record Instance(String type) {
    }
}
