package io.herald.server.config;

import io.herald.core.dispatch.LaneSettings;
import io.herald.core.model.Channel;
import io.herald.core.retry.RetryPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * Channel workers: defaults for every channel, overridable per channel under {@code herald.dispatch.channels.EMAIL.*}.
 */
@ConfigurationProperties("herald.dispatch")
public record DispatchProperties(Lane defaults, Map<Channel, Lane> channels, Duration schedulerInterval) {

    public DispatchProperties {
        defaults = defaults == null ? new Lane(null, null, null, null, null, null, null, null) : defaults;
        channels = channels == null ? Map.of() : channels;
        schedulerInterval = schedulerInterval == null ? Duration.ofSeconds(1) : schedulerInterval;
    }

    /** Any null field falls back to the defaults, then to the values in code. */
    public record Lane(Integer concurrency, Integer batchSize, Duration lease, Duration pollInterval, Integer maxAttempts,
                       Duration initialBackoff, Duration maxBackoff, Double backoffMultiplier) {
    }

    public LaneSettings settingsFor(Channel channel) {
        Lane c = channels.getOrDefault(channel, defaults);
        LaneSettings base = LaneSettings.DEFAULT;
        RetryPolicy r = RetryPolicy.DEFAULT;
        return new LaneSettings(
                pick(c.concurrency(), defaults.concurrency(), base.concurrency()),
                pick(c.batchSize(), defaults.batchSize(), base.batchSize()),
                pick(c.lease(), defaults.lease(), base.lease()),
                pick(c.pollInterval(), defaults.pollInterval(), base.pollInterval()),
                new RetryPolicy(pick(c.maxAttempts(), defaults.maxAttempts(), r.maxAttempts()),
                        pick(c.initialBackoff(), defaults.initialBackoff(), r.initialBackoff()),
                        pick(c.maxBackoff(), defaults.maxBackoff(), r.maxBackoff()),
                        pick(c.backoffMultiplier(), defaults.backoffMultiplier(), r.multiplier())));
    }

    private static <T> T pick(T channel, T defaults, T code) {
        return channel != null ? channel : defaults != null ? defaults : code;
    }
}
