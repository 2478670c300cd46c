package io.herald.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How Herald uses Kafka.
 *
 * @param bootstrapServers       the brokers, host:port[,host:port...]
 * @param topicPrefix            topics are {@code <prefix>.<queue>.<priority>}, e.g. {@code herald.EMAIL.HIGH}
 * @param partitions             partitions of each topic Herald creates: the most worker processes one lane can use
 * @param replicationFactor      replicas of each topic Herald creates
 * @param maxInFlightPerPartition messages of one partition taken but not yet committed (sends under way, buffered or
 *                               waiting for an earlier offset's outcome); past it the partition is paused
 * @param pollTimeout            how long a claim waits for messages when none is buffered (Kafka's long poll returns as
 *                               soon as one arrives; an empty claim makes the lane sleep its poll interval, so short
 *                               timeouts under a loaded machine leave workers idle while their partitions hold messages)
 * @param relayInterval          how often an idle relay looks for due entries to publish
 * @param relayBatch             entries published per relay round trip
 * @param publishTimeout         how long a relay's mark holds before the broker acknowledged (a dead relay's entries
 *                               are published again after it)
 * @param republishAfter         how long an acknowledged message may wait unclaimed before the entry is published
 *                               again (a safety net for a lost topic or offsets; must exceed the consumers' lag)
 * @param sessionTimeout         how soon the group gives a dead worker's partitions to the others
 * @param clientProperties       more Kafka client settings (security, ...), passed as they are
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int partitions, short replicationFactor,
                            int maxInFlightPerPartition, Duration pollTimeout, Duration relayInterval, int relayBatch,
                            Duration publishTimeout, Duration republishAfter, Duration sessionTimeout,
                            Map<String, String> clientProperties) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) throw new IllegalArgumentException("herald.kafka.bootstrap-servers is required with engine kafka");
        if (partitions < 1 || replicationFactor < 1 || maxInFlightPerPartition < 1 || relayBatch < 1) {
            throw new IllegalArgumentException("partitions, replication factor, in-flight window and relay batch must be at least 1");
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    }

    /** Defaults for everything but the brokers. */
    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, "herald", 6, (short) 1, 256, Duration.ofSeconds(1), Duration.ofMillis(25), 500,
                Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(10), Map.of());
    }

    public KafkaSettings withPartitions(int n) {
        return new KafkaSettings(bootstrapServers, topicPrefix, n, replicationFactor, maxInFlightPerPartition, pollTimeout, relayInterval,
                relayBatch, publishTimeout, republishAfter, sessionTimeout, clientProperties);
    }

    public KafkaSettings withPollTimeout(Duration timeout) {
        return new KafkaSettings(bootstrapServers, topicPrefix, partitions, replicationFactor, maxInFlightPerPartition, timeout,
                relayInterval,
                relayBatch, publishTimeout, republishAfter, sessionTimeout, clientProperties);
    }

    public KafkaSettings withTopicPrefix(String prefix) {
        return new KafkaSettings(bootstrapServers, prefix, partitions, replicationFactor, maxInFlightPerPartition, pollTimeout,
                relayInterval,
                relayBatch, publishTimeout, republishAfter, sessionTimeout, clientProperties);
    }
}
