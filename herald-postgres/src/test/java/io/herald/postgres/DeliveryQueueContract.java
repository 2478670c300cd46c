package io.herald.postgres;

import io.herald.core.intake.RecipientPolicy;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.core.template.TemplateException;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of the {@link DeliveryQueue} port, run against every engine (PostgreSQL here, Kafka in herald-kafka):
 * leases, outcomes, retries and schedules through time, fencing of late outcomes, priority lanes, dead letters.
 * Notifications are accepted by the real intake into a schema of their own; time is a settable clock. An engine
 * that carries work asynchronously (Kafka) publishes what is due in {@link #publishDue()}, and claims are repeated
 * until the expected entries arrived (bounded by a deadline, never a sleep).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DeliveryQueueContract {

    protected static final WorkQueue EMAIL = new WorkQueue(Channel.EMAIL, null);
    protected static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofSeconds(60); // only reached on failure; the shared machine can be slow

    protected final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private PostgresFixture db;
    private SendService intake;
    protected DeliveryQueue queue;

    /** The engine under test over this schema; {@code store} is the PostgreSQL engine of the same schema. */
    protected abstract DeliveryQueue openQueue(JdbcTemplate jdbc, TransactionTemplate tx, PostgresDeliveryQueue store);

    /** Ends what {@link #openQueue} started. */
    protected void closeQueue() {
    }

    /** Moves what is due to where claims find it (a relay pass); nothing to do for engines that claim from the table. */
    protected void publishDue() {
    }

    @BeforeAll
    void startDatabase() {
        db = new PostgresFixture("contract_" + getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }

    @AfterAll
    void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void open() {
        db.jdbc.update("DELETE FROM queue_entries");
        intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        },
                RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, clock, UUID::randomUUID);
        db.users.upsert(db.appId, "u-1", "ada@example.com", null, null, null, null, clock.instant());
        queue = openQueue(db.jdbc, db.tx, db.queue);
    }

    @AfterEach
    void close() {
        closeQueue();
    }

    protected UUID send(Priority priority, Instant sendAt) {
        return intake.send(db.appId, new SendRequest("e-" + UUID.randomUUID(), "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "Hello", null, "Hi", null, null), null, priority, sendAt, null))
                .receipt().notifications().getFirst().id();
    }

    /** Claims until {@code expected} entries of the lane were leased to {@code owner}. */
    protected List<ClaimedDelivery> claimAll(Priority priority, String owner, int expected) {
        List<ClaimedDelivery> all = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (all.size() < expected && System.nanoTime() < deadline) {
            publishDue();
            all.addAll(queue.claim(EMAIL, priority, expected - all.size(), LEASE, owner, clock.instant()));
        }
        assertThat(all).as("claimed from the %s lane", priority).hasSize(expected);
        return all;
    }

    /** Nothing of the lane can be claimed now (after a publishing pass). */
    protected void assertNothingClaimable(Priority priority, String owner) {
        publishDue();
        assertThat(queue.claim(EMAIL, priority, 10, LEASE, owner, clock.instant())).isEmpty();
    }

    private Status status(UUID id) {
        return Status.valueOf(db.jdbc.queryForObject("SELECT status FROM notifications WHERE id = ?", String.class, id));
    }

    private long entries() {
        return db.count("SELECT count(*) FROM queue_entries");
    }

    @Test
    void aClaimLeasesDueEntriesOnceAndMarksThemSending() {
        Set<UUID> sent = new HashSet<>(List.of(send(Priority.NORMAL, null), send(Priority.NORMAL, null), send(Priority.NORMAL, null)));
        List<ClaimedDelivery> claimed = claimAll(Priority.NORMAL, "worker-a", 3);

        assertThat(claimed).extracting(ClaimedDelivery::id).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(claimed).allSatisfy(d -> {
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.reclaimed()).isFalse();
            assertThat(d.leaseOwner()).isEqualTo("worker-a");
            assertThat(status(d.id())).isEqualTo(Status.SENDING);
        });
        assertNothingClaimable(Priority.NORMAL, "worker-b");
    }

    @Test
    void aStoredOutcomeEndsTheEntry() {
        UUID id = send(Priority.NORMAL, null);
        ClaimedDelivery d = claimAll(Priority.NORMAL, "worker-a", 1).getFirst();

        assertThat(queue.apply(List.of(Transition.sent(d, "smtp", "m-1", clock.instant())))).isEmpty();

        assertThat(status(id)).isEqualTo(Status.SENT);
        assertThat(entries()).isZero();
        clock.advance(LEASE.multipliedBy(2));
        assertNothingClaimable(Priority.NORMAL, "worker-b");
    }

    @Test
    void aRetryComesBackWhenDueAndNotBefore() {
        UUID id = send(Priority.NORMAL, null);
        ClaimedDelivery first = claimAll(Priority.NORMAL, "worker-a", 1).getFirst();
        assertThat(queue.apply(List.of(Transition.retry(first, "smtp", "421 busy", clock.instant().plusSeconds(10), clock.instant()))))
                .isEmpty();
        assertThat(status(id)).isEqualTo(Status.RETRYING);
        assertNothingClaimable(Priority.NORMAL, "worker-a");

        clock.advance(Duration.ofSeconds(11));
        ClaimedDelivery second = claimAll(Priority.NORMAL, "worker-a", 1).getFirst();
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.reclaimed()).as("a retry is not a reclaim").isFalse();
    }

    @Test
    void aScheduledSendWaitsForItsTime() {
        UUID later = send(Priority.NORMAL, clock.instant().plus(Duration.ofHours(1)));
        assertThat(status(later)).isEqualTo(Status.SCHEDULED);
        assertNothingClaimable(Priority.NORMAL, "worker-a");

        clock.advance(Duration.ofMinutes(61));
        assertThat(queue.promoteDue(clock.instant(), 100)).isEqualTo(1);
        assertThat(status(later)).isEqualTo(Status.QUEUED);
        assertThat(claimAll(Priority.NORMAL, "worker-a", 1)).extracting(ClaimedDelivery::id).containsExactly(later);
    }

    @Test
    void anExpiredLeaseIsReclaimedAndTheDeadWorkersLateOutcomeIsFenced() {
        UUID id = send(Priority.NORMAL, null);
        ClaimedDelivery first = claimAll(Priority.NORMAL, "worker-a", 1).getFirst();
        assertNothingClaimable(Priority.NORMAL, "worker-b"); // leased

        clock.advance(LEASE.plusSeconds(1));
        ClaimedDelivery second = claimAll(Priority.NORMAL, "worker-b", 1).getFirst();
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.reclaimed()).isTrue();
        assertThat(second.attempt()).isEqualTo(2);

        Transition late = Transition.sent(first, "smtp", "m-1", clock.instant());
        assertThat(queue.apply(List.of(late))).containsExactly(late);
        assertThat(status(id)).isEqualTo(Status.SENDING);
        assertThat(queue.apply(List.of(Transition.sent(second, "smtp", "m-2", clock.instant())))).isEmpty();
        assertThat(status(id)).isEqualTo(Status.SENT);
    }

    @Test
    void highIsNeverBehindABacklogOfLowerLanes() {
        for (int i = 0; i < 20; i++) send(Priority.NORMAL, null);
        for (int i = 0; i < 20; i++) send(Priority.LOW, null);
        UUID urgent = send(Priority.HIGH, null);

        assertThat(claimAll(Priority.HIGH, "worker-a", 1)).extracting(ClaimedDelivery::id).containsExactly(urgent);
        assertThat(claimAll(Priority.NORMAL, "worker-a", 20)).allSatisfy(d -> assertThat(d.priority()).isEqualTo(Priority.NORMAL));
    }

    @Test
    void aDeadLetterRequeuedByAnOperatorIsClaimedAgain() {
        UUID id = send(Priority.NORMAL, null);
        ClaimedDelivery d = claimAll(Priority.NORMAL, "worker-a", 1).getFirst();
        queue.apply(List.of(Transition.end(d, Status.FAILED, Reason.RETRIES_EXHAUSTED, "smtp", "gave up", clock.instant())));
        assertThat(queue.stats(clock.instant())).filteredOn(s -> s.queue().equals("EMAIL") && s.priority() == Priority.NORMAL)
                .singleElement().satisfies(s -> assertThat(s.deadLetter()).isEqualTo(1));

        assertThat(queue.requeueDeadLetters(List.of(id), clock.instant())).isEqualTo(1);
        ClaimedDelivery again = claimAll(Priority.NORMAL, "worker-a", 1).getFirst();
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.attempt()).isEqualTo(1);
    }

    @Test
    void concurrentClaimersNeverShareAnEntry() throws InterruptedException {
        int n = 60;
        for (int i = 0; i < n; i++) send(Priority.NORMAL, null);
        ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(3);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int w = 0; w < 3; w++) {
            String owner = "worker-" + w;
            Thread.ofPlatform().start(() -> {
                try {
                    while (claimed.size() < n && System.nanoTime() < deadline) {
                        publishDue();
                        queue.claim(EMAIL, Priority.NORMAL, 7, LEASE, owner, clock.instant()).forEach(d -> claimed.add(d.id()));
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS)).isTrue();
        assertThat(claimed).hasSize(n).doesNotHaveDuplicates();
        assertThat(claimed).allSatisfy(id -> assertThat(status(id)).isEqualTo(Status.SENDING));
    }
}
