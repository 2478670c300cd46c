package io.herald.kafka;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One in-JVM KRaft broker for the test classes of this module, started on first use (about 2 s). */
final class TestBroker {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EmbeddedKafkaKraftBroker broker;

    private TestBroker() {
    }

    static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = new EmbeddedKafkaKraftBroker(1, 1);
            // a group starts consuming at once instead of waiting for more members (broker default 3 s)
            broker.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0"));
            broker.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        }
        return broker.getBrokersAsString();
    }

    /** Settings with topics of their own, so tests never see each other's messages. */
    static KafkaSettings freshSettings(int partitions) {
        // a short poll: tests also check that nothing is claimable, which waits one poll
        return KafkaSettings.of(bootstrapServers()).withPartitions(partitions).withPollTimeout(java.time.Duration.ofMillis(100))
                .withTopicPrefix("t" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet());
    }
}
