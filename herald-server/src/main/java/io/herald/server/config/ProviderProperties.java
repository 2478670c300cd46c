package io.herald.server.config;

import io.herald.core.model.Channel;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which providers deliver each channel, in failover order, e.g. {@code herald.providers.channels.EMAIL=smtp,sendgrid}.
 * Every channel defaults to the sandbox, which records instead of sending, except IN_APP: Herald's own inbox.
 */
@ConfigurationProperties("herald.providers")
public record ProviderProperties(Map<Channel, List<String>> channels, Sandbox sandbox) {

    public ProviderProperties {
        Map<Channel, List<String>> m = new EnumMap<>(Channel.class);
        // IN_APP is delivered by Herald's own inbox; every other channel records in the sandbox until configured
        for (Channel c : Channel.values()) m.put(c, List.of(c == Channel.IN_APP ? "inbox" : "sandbox"));
        if (channels != null) m.putAll(channels);
        channels = m;
        sandbox = sandbox == null ? new Sandbox(null, null, null) : sandbox;
    }

    /** The sandbox: optional added latency and fraction of transient failures, for tests, demos and benchmarks. */
    public record Sandbox(Duration latency, Double failureRate, Integer keep) {
        public Sandbox {
            latency = latency == null ? Duration.ZERO : latency;
            failureRate = failureRate == null ? 0.0 : failureRate;
            keep = keep == null ? 1000 : keep;
        }
    }
}
