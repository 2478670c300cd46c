package io.herald.kafka;

import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.postgres.DeliveryQueueContract;
import io.herald.postgres.PostgresDeliveryQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue port's contract on the Kafka engine: a real in-JVM broker, the relay run by the test. Plus what only
 * this engine has: offsets committed in order, only once outcomes are stored, while later messages of the same
 * partition go on being sent.
 */
class KafkaDeliveryQueueContractTest extends DeliveryQueueContract {

    private KafkaSettings settings;
    private OutboxRelay relay;
    private KafkaDeliveryQueue kafka;
    private JdbcTemplate jdbc;
    private PostgresDeliveryQueue store;

    @Override
    protected DeliveryQueue openQueue(JdbcTemplate jdbc, TransactionTemplate tx, PostgresDeliveryQueue store) {
        this.jdbc = jdbc;
        this.store = store;
        settings = TestBroker.freshSettings(1);
        KafkaTopics.ensure(settings);
        relay = new OutboxRelay(jdbc, tx, settings, clock);
        kafka = new KafkaDeliveryQueue(store, jdbc, settings, "contract");
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

    @Test
    void aSlowSendHoldsTheCommitNotTheOtherMessagesOfItsPartition() throws Exception {
        for (int i = 0; i < 3; i++) send(Priority.NORMAL, null);
        List<ClaimedDelivery> claimed = claimAll(Priority.NORMAL, "worker-a", 3); // one partition: all three in order
        ClaimedDelivery slow = claimed.getFirst();

        // the later two finish first: stored, but the committed position waits for the first
        assertThat(queue.apply(claimed.subList(1, 3).stream().map(d -> Transition.sent(d, "smtp", "m", clock.instant())).toList()))
                .isEmpty();
        assertThat(queue.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", clock.instant())).isEmpty(); // commits what it may
        assertThat(committed()).as("nothing committed past the unfinished first message").isIn(-1L, 0L);

        assertThat(queue.apply(List.of(Transition.sent(slow, "smtp", "m", clock.instant())))).isEmpty();
        queue.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", clock.instant());
        kafka.close(); // a final synchronous commit
        assertThat(committed()).isEqualTo(3L);
    }

    @Test
    void aStopInterruptsAClaimThatWaitsOnAnEmptyTopicAndLaterClaimsGoOn() throws Exception {
        KafkaDeliveryQueue patient = new KafkaDeliveryQueue(store, jdbc, settings.withPollTimeout(java.time.Duration.ofMinutes(5)),
                "patient");
        try {
            var claim = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> patient.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", clock.instant()));
            // the lane's consumer is made inside the claim, so an interrupt may come before it exists: repeat it
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!claim.isDone() && System.nanoTime() < deadline) {
                patient.interruptClaims(EMAIL);
                try {
                    claim.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillPolling) {
                    // its poll had not begun yet
                }
            }
            assertThat(claim).as("a claim waiting up to 5 minutes returned when interrupted").isDone();
            assertThat(claim.get()).isEmpty();

            java.util.UUID id = send(Priority.NORMAL, null);
            publishDue();
            List<ClaimedDelivery> claimed = new java.util.ArrayList<>();
            while (claimed.isEmpty() && System.nanoTime() < deadline) // a pending interrupt returns one claim early
                claimed.addAll(patient.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", clock.instant()));
            assertThat(claimed).extracting(ClaimedDelivery::id).containsExactly(id);
            assertThat(patient.apply(List.of(Transition.sent(claimed.getFirst(), "smtp", "m", clock.instant())))).isEmpty();
        } finally {
            patient.interruptClaims(EMAIL); // pending at close: the final commit goes through all the same
            patient.close();
        }
        assertThat(committed()).as("the final commit passed the message").isEqualTo(1L);
    }

    @Test
    void aMessageIsClaimedEvenWhenTheClaimsInstantPredatesItsAcceptance() {
        // the dispatcher reads its clock before the claim's poll; the send is accepted and published during that poll
        java.time.Instant beforePoll = clock.instant();
        clock.advance(java.time.Duration.ofMillis(900));
        java.util.UUID id = send(Priority.NORMAL, null);
        publishDue();
        List<ClaimedDelivery> claimed = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (claimed.isEmpty() && System.nanoTime() < deadline) {
            claimed.addAll(queue.claim(EMAIL, Priority.NORMAL, 10, LEASE, "worker-a", beforePoll));
        }
        assertThat(claimed).extracting(ClaimedDelivery::id).containsExactly(id);
    }

    @Test
    void claimsAndRelayMarksSkipTheDiskWaitOnlyForTheirOwnStatement() throws Exception {
        java.util.UUID id = send(Priority.NORMAL, null);
        try (java.sql.Connection con = java.util.Objects.requireNonNull(jdbc.getDataSource()).getConnection()) {
            // one connection for the relay, the claim and the check: what a pooled connection carries to its next user
            var one = new org.springframework.jdbc.datasource.SingleConnectionDataSource(con, true);
            JdbcTemplate single = new JdbcTemplate(one);
            try (OutboxRelay relayOnOne = new OutboxRelay(single,
                    new TransactionTemplate(new org.springframework.jdbc.datasource.DataSourceTransactionManager(one)), settings, clock)) {
                assertThat(relayOnOne.relayOnce()).isEqualTo(1);
            }
            assertThat(single.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            assertThat(new ClaimByIds(single).claim(List.of(id), LEASE, "worker-a", clock.instant())).extracting(ClaimedDelivery::id)
                    .containsExactly(id);
            assertThat(single.queryForObject("SHOW synchronous_commit", String.class))
                    .as("outcomes and intake on this connection still wait for the disk").isEqualTo("on");
            assertThat(single.queryForObject("SELECT current_setting('synchronous_commit') WHERE " + ClaimByIds.RELAXED, String.class))
                    .as("within the statement, commits do not wait").isEqualTo("off");
        }
    }

    private long committed() throws Exception {
        String topic = KafkaTopics.name(settings, EMAIL, Priority.NORMAL);
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(topic).partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata o = offsets.get(new TopicPartition(topic, 0));
            return o == null ? -1 : o.offset();
        }
    }
}
