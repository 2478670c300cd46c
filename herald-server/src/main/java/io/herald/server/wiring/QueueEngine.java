package io.herald.server.wiring;

import io.herald.core.queue.DeliveryQueue;
import io.herald.kafka.KafkaDeliveryQueue;
import io.herald.kafka.KafkaTopics;
import io.herald.kafka.OutboxRelay;
import io.herald.postgres.PostgresDeliveryQueue;
import io.herald.server.config.KafkaEngineProperties;
import io.herald.server.config.NodeProperties;
import io.herald.server.config.QueueProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/**
 * The queue the dispatchers and the scheduler of this process use: PostgreSQL's, or Kafka's with its relay. The relay
 * runs in worker and scheduler processes (no extra process kind); API processes only write to PostgreSQL, so they
 * need no broker. Cancel, traces, statistics and the console keep using the PostgreSQL queue, the source of truth.
 */
public final class QueueEngine implements AutoCloseable {

    private final DeliveryQueue queue;
    private final KafkaDeliveryQueue kafka;
    private final OutboxRelay relay;

    private QueueEngine(DeliveryQueue queue, KafkaDeliveryQueue kafka, OutboxRelay relay) {
        this.queue = queue;
        this.kafka = kafka;
        this.relay = relay;
    }

    static QueueEngine create(QueueProperties engine, KafkaEngineProperties kafkaProperties, NodeProperties node,
                              PostgresDeliveryQueue postgres, JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        if (!engine.kafka() || !(node.worker() || node.scheduler())) return new QueueEngine(postgres, null, null);
        var settings = kafkaProperties.settings();
        KafkaTopics.ensure(settings);
        var relay = new OutboxRelay(jdbc, tx, settings, clock);
        relay.start();
        var kafka = new KafkaDeliveryQueue(postgres, jdbc, settings, node.instanceId());
        return new QueueEngine(kafka, kafka, relay);
    }

    public DeliveryQueue queue() {
        return queue;
    }

    /** After the dispatchers stopped: commit what is done, leave the consumer groups, stop relaying. */
    @Override
    public void close() {
        if (kafka != null) kafka.close();
        if (relay != null) relay.close();
    }
}
