package io.herald.kafka;

import io.herald.core.queue.DeliveryQueue;
import io.herald.postgres.DeliveryQueueContract;
import io.herald.postgres.PostgresDeliveryQueue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The queue port's contract on the Kafka engine: a real in-JVM broker, the relay run by the test. */
class KafkaDeliveryQueueContractTest extends DeliveryQueueContract {

    private OutboxRelay relay;
    private KafkaDeliveryQueue kafka;

    @Override
    protected DeliveryQueue openQueue(JdbcTemplate jdbc, TransactionTemplate tx, PostgresDeliveryQueue store) {
        KafkaSettings settings = TestBroker.freshSettings(2);
        KafkaTopics.ensure(settings);
        relay = new OutboxRelay(jdbc, tx, settings, clock);
        kafka = new KafkaDeliveryQueue(store, jdbc, tx, settings, "contract");
        return kafka;
    }

    @Override
    protected void publishDue() {
        relay.relayOnce();
    }

    @Override
    protected void closeQueue() {
        kafka.close();
        relay.close();
    }
}
