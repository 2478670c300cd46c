package io.herald.postgres;

import io.herald.core.queue.DeliveryQueue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The queue port's contract on the PostgreSQL engine. */
class PostgresDeliveryQueueContractTest extends DeliveryQueueContract {

    @Override
    protected DeliveryQueue openQueue(JdbcTemplate jdbc, TransactionTemplate tx, PostgresDeliveryQueue store) {
        return store;
    }
}
