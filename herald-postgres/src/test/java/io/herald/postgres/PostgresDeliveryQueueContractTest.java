package io.herald.postgres;

import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.trace.NotificationTraces;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
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

    @Test
    void aSearchByStatusFindsInFlightAndSettledNotifications() {
        clock.set(Instant.parse("2031-01-01T00:00:00Z")); // later than any other test's notifications: the window below is this test's
        Instant from = clock.instant();
        UUID sent = send(Priority.NORMAL, null);
        ClaimedDelivery claimed = queue.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", clock.instant()).getFirst();
        assertThat(queue.apply(List.of(Transition.sent(claimed, "sandbox", "m-1", clock.instant())))).isEmpty();
        UUID sending = send(Priority.NORMAL, null);
        assertThat(queue.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", clock.instant())).hasSize(1);
        UUID waiting = send(Priority.NORMAL, null);
        var traces = new NotificationQueries(jdbc, new TransactionTemplate(new DataSourceTransactionManager(
                Objects.requireNonNull(jdbc.getDataSource()))));
        long app = jdbc.queryForObject("SELECT app_id FROM notifications WHERE id = ?", Long.class, sent);
        assertThat(search(traces, app, from, Status.SENT)).containsExactly(sent);
        assertThat(search(traces, app, from, Status.SENDING)).containsExactly(sending);
        assertThat(search(traces, app, from, Status.QUEUED)).containsExactly(waiting);
        assertThat(search(traces, app, from, Status.FAILED)).isEmpty();
    }

    private static List<UUID> search(NotificationTraces traces, long app, Instant from, Status status) {
        return traces.search(app, new NotificationTraces.Filter(null, null, status, null, from, from.plusSeconds(60), null, null, 10))
                .stream().map(NotificationTraces.NotificationView::id).toList();
    }
}
