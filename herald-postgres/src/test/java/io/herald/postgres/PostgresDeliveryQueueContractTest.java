package io.herald.postgres;

import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.util.Objects;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue port's contract on the PostgreSQL engine. */
class PostgresDeliveryQueueContractTest extends DeliveryQueueContract {

    private JdbcTemplate jdbc;

    @Override
    protected DeliveryQueue openQueue(JdbcTemplate jdbc, TransactionTemplate tx, PostgresDeliveryQueue store) {
        this.jdbc = jdbc;
        return store;
    }

    @Test
    void aClaimSkipsTheDiskWaitForItsOwnStatementOnly() throws Exception {
        UUID id = send(Priority.NORMAL, null);
        try (Connection con = Objects.requireNonNull(jdbc.getDataSource()).getConnection()) {
            // one connection for the claim and the checks: what a pooled connection carries to its next user
            var one = new SingleConnectionDataSource(con, true);
            JdbcTemplate single = new JdbcTemplate(one);
            var onOne = new PostgresDeliveryQueue(single, new TransactionTemplate(new DataSourceTransactionManager(one)));
            assertThat(onOne.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", clock.instant())).extracting(ClaimedDelivery::id)
                    .containsExactly(id);
            assertThat(single.queryForObject("SHOW synchronous_commit", String.class))
                    .as("outcomes and intake on this connection still wait for the disk").isEqualTo("on");
            assertThat(single.queryForObject("SELECT current_setting('synchronous_commit') WHERE " + PostgresDeliveryQueue.RELAXED,
                    String.class)).as("within the statement, commits do not wait").isEqualTo("off");
        }
    }
}
