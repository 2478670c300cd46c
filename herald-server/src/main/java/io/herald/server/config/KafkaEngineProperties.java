package io.herald.server.config;

import io.herald.kafka.KafkaSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * The Kafka engine ({@code herald.queue.engine=kafka}); read only then. Unset values take the defaults of
 * {@link KafkaSettings#of}. {@code properties} go to every Kafka client as they are (security.protocol, sasl.*, ...).
 */
@ConfigurationProperties("herald.kafka")
public record KafkaEngineProperties(String bootstrapServers, String topicPrefix, Integer partitions, Integer replicationFactor,
                                    Integer maxInFlightPerPartition, Duration pollTimeout, Duration relayInterval, Integer relayBatch,
                                    Duration publishTimeout, Duration republishAfter, Duration sessionTimeout,
                                    Map<String, String> properties) {

    private static final KafkaSettings DEFAULTS = KafkaSettings.of("-");

    public KafkaEngineProperties {
        topicPrefix = topicPrefix == null || topicPrefix.isBlank() ? DEFAULTS.topicPrefix() : topicPrefix;
        partitions = partitions == null || partitions <= 0 ? Integer.valueOf(DEFAULTS.partitions()) : partitions;
        replicationFactor = replicationFactor == null || replicationFactor <= 0
                ? Integer.valueOf(DEFAULTS.replicationFactor())
                : replicationFactor;
        maxInFlightPerPartition = maxInFlightPerPartition == null || maxInFlightPerPartition <= 0
                ? Integer.valueOf(DEFAULTS.maxInFlightPerPartition())
                : maxInFlightPerPartition;
        pollTimeout = pollTimeout == null ? DEFAULTS.pollTimeout() : pollTimeout;
        relayInterval = relayInterval == null ? DEFAULTS.relayInterval() : relayInterval;
        relayBatch = relayBatch == null || relayBatch <= 0 ? Integer.valueOf(DEFAULTS.relayBatch()) : relayBatch;
        publishTimeout = publishTimeout == null ? DEFAULTS.publishTimeout() : publishTimeout;
        republishAfter = republishAfter == null ? DEFAULTS.republishAfter() : republishAfter;
        sessionTimeout = sessionTimeout == null ? DEFAULTS.sessionTimeout() : sessionTimeout;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public KafkaSettings settings() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("herald.kafka.bootstrap-servers is required with herald.queue.engine=kafka");
        }
        return new KafkaSettings(bootstrapServers, topicPrefix, partitions, replicationFactor.shortValue(), maxInFlightPerPartition,
                pollTimeout,
                relayInterval, relayBatch, publishTimeout, republishAfter, sessionTimeout, properties);
    }
}
