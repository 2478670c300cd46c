package io.herald.postgres;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.LaneSettings;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.intake.RecipientPolicy;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.core.retry.RetryPolicy;
import io.herald.core.template.TemplateException;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must end whatever goes wrong, on the real PostgreSQL with a settable clock: erased recipients, workers that
 * keep dying, late outcomes of expired leases, and notifications an open circuit keeps refusing.
 */
class QueueFaultsOnPostgresTest {

    static final WorkQueue EMAIL = new WorkQueue(Channel.EMAIL, null);
    static final Duration LEASE = Duration.ofSeconds(30);
    static PostgresFixture db;
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    final RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0, 3, Duration.ofHours(1));
    final ConcurrentLinkedQueue<OutboundMessage> calls = new ConcurrentLinkedQueue<>();
    final AtomicInteger fenced = new AtomicInteger(), outcomes = new AtomicInteger();
    volatile Function<OutboundMessage, SendResult> answer = m -> SendResult.accepted("msg-" + m.id());
    SendService intake;
    ChannelDispatcher worker;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("faults");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void wire() {
        db.jdbc.update("DELETE FROM queue_entries");
        ChannelProvider smtp = new ChannelProvider() {
            public String name() {
                return "smtp";
            }

            public Channel channel() {
                return Channel.EMAIL;
            }

            public SendResult send(OutboundMessage m) {
                calls.add(m);
                return answer.apply(m);
            }
        };
        DispatchListener listener = new DispatchListener() {
            @Override
            public void transition(Channel channel, Priority priority, Transition transition, Duration sinceAccepted) {
                outcomes.incrementAndGet();
            }

            @Override
            public void outcomeFenced(Channel channel, Transition transition) {
                fenced.incrementAndGet();
            }
        };
        intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        },
                RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, clock, UUID::randomUUID);
        worker = new ChannelDispatcher(EMAIL, new LaneSettings(4, 50, LEASE, Duration.ofMillis(50), retry), db.queue,
                new DeliveryAttempt(new ProviderRouter(List.of(smtp)), retry, DispatchCheck.ALLOW_ALL, db.users, listener, clock),
                listener, clock, "worker-a");
        db.users.upsert(db.appId, "u-1", "ada@example.com", null, null, null, null, clock.instant());
    }

    private UUID send(String user, String eventId, Instant sendAt) {
        return intake.send(db.appId, new SendRequest(eventId, user, null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "Hello", null, "Hi", null, null), null, Priority.NORMAL, sendAt, null))
                .receipt().notifications().getFirst().id();
    }

    private NotificationQueries.NotificationView trace(UUID id) {
        return db.queries.get(db.appId, id).orElseThrow();
    }

    private List<ClaimedDelivery> claim(String owner) {
        return db.queue.claim(EMAIL, Priority.NORMAL, 10, LEASE, owner, clock.instant());
    }

    @Test
    void erasingAUserCancelsWhatWaitsForThemAndTheirWorkInFlightEndsToo() {
        db.users.upsert(db.appId, "u-gone", "grace@example.com", null, null, null, null, clock.instant());
        UUID inFlight = send("u-gone", "erase-flight", null);
        assertThat(claim("worker-dead")).extracting(ClaimedDelivery::id).containsExactly(inFlight); // then it dies
        UUID queued = send("u-gone", "erase-queued", null);
        UUID scheduled = send("u-gone", "erase-scheduled", clock.instant().plus(Duration.ofHours(1)));
        answer = m -> SendResult.failed("421 busy");
        UUID retrying = send("u-gone", "erase-retrying", null);
        assertThat(worker.runDue()).isEqualTo(2); // queued and retrying: both fail transiently
        assertThat(trace(retrying).status()).isEqualTo(Status.RETRYING);
        UUID othersMail = send("u-1", "erase-other", clock.instant().plus(Duration.ofHours(1)));
        answer = m -> SendResult.accepted("ok");
        calls.clear();

        assertThat(db.users.erase(db.appId, "u-gone", clock.instant())).isTrue();

        for (UUID id : List.of(queued, scheduled, retrying)) {
            var v = trace(id);
            assertThat(v.status()).as("status of %s", id).isEqualTo(Status.CANCELLED);
            assertThat(v.reason()).isEqualTo("CANCELLED");
            assertThat(v.events().getLast().status()).isEqualTo("CANCELLED");
            assertThat(v.events().getLast().detail()).isEqualTo("the recipient was erased");
            assertThat(db.count("SELECT count(*) FROM queue_entries WHERE notification_id = ?", id)).isZero();
        }
        assertThat(trace(othersMail).status()).as("another user's mail is untouched").isEqualTo(Status.SCHEDULED);

        // the entry whose worker died comes back after its lease with no target: it is cancelled, not sent or looped
        clock.advance(Duration.ofMinutes(61));
        assertThat(worker.runDue()).isEqualTo(2); // that entry and the other user's mail, due now
        assertThat(trace(inFlight).status()).isEqualTo(Status.CANCELLED);
        assertThat(trace(inFlight).detail()).isEqualTo("the recipient was erased");
        assertThat(calls).extracting(OutboundMessage::id).containsExactly(othersMail);
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isZero();
        clock.advance(Duration.ofHours(2));
        assertThat(worker.runDue()).isZero();
    }

    @Test
    void aNotificationWhoseWorkerKeepsDyingIsDeadLetteredAfterTheReclaimLimit() {
        UUID id = send("u-1", "poison", null);
        assertThat(claim("worker-1")).hasSize(1); // each worker dies without an outcome
        for (int i = 2; i <= 3; i++) {
            clock.advance(LEASE.plusSeconds(1));
            assertThat(claim("worker-" + i)).singleElement().satisfies(d -> assertThat(d.reclaims()).isPositive());
        }
        clock.advance(LEASE.plusSeconds(1));
        assertThat(worker.runDue()).isEqualTo(1); // the third reclaim

        var v = trace(id);
        assertThat(v.status()).isEqualTo(Status.FAILED);
        assertThat(v.reason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(v.detail()).contains("worker died 3 times");
        assertThat(calls).as("not handed to a provider again").isEmpty();
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isZero();
        assertThat(db.count("SELECT count(*) FROM notifications WHERE id = ? AND dead_lettered_at IS NOT NULL", id)).isEqualTo(1);
        assertThat(db.queue.stats(clock.instant())).filteredOn(s -> s.queue().equals("EMAIL") && s.priority() == Priority.NORMAL)
                .singleElement().satisfies(s -> assertThat(s.deadLetter()).isPositive());
    }

    @Test
    void theLateOutcomeOfAnExpiredLeaseIsDroppedAndCannotUndoTheNewOwnersAttempt() {
        UUID id = send("u-1", "fence", null);
        ClaimedDelivery first = claim("worker-a").getFirst();
        clock.advance(LEASE.plusSeconds(1));
        ClaimedDelivery second = claim("worker-b").getFirst();
        assertThat(second.attempt()).isEqualTo(2);

        // worker-a wakes up and reports a transient failure of its attempt 1
        Transition late = Transition.retry(first, "smtp", "timeout", clock.instant().plusSeconds(10), clock.instant());
        assertThat(db.queue.apply(List.of(late))).containsExactly(late);
        var v = trace(id);
        assertThat(v.status()).isEqualTo(Status.SENDING);
        assertThat(v.attempts()).as("not rolled back to 1").isEqualTo(2);
        assertThat(db.jdbc.queryForObject("SELECT lease_owner FROM queue_entries WHERE notification_id = ?", String.class, id))
                .as("the new owner keeps its lease").isEqualTo("worker-b");

        Transition sent = Transition.sent(second, "smtp", "m-2", clock.instant());
        assertThat(db.queue.apply(List.of(sent))).isEmpty();
        assertThat(trace(id).status()).isEqualTo(Status.SENT);
        assertThat(trace(id).events()).extracting(NotificationQueries.Event::status).containsExactly("QUEUED", "SENDING", "SENDING",
                "SENT");
        // and once it is done, worker-a's late success is dropped too
        assertThat(db.queue.apply(List.of(Transition.sent(first, "smtp", "m-1", clock.instant())))).hasSize(1);
        assertThat(trace(id).providerMessageId()).isEqualTo("m-2");
    }

    @Test
    void theSameProcessReclaimingItsOwnExpiredLeaseIsFencedByTheAttempt() {
        UUID id = send("u-1", "fence-self", null);
        ClaimedDelivery first = claim("worker-a").getFirst();
        clock.advance(LEASE.plusSeconds(1));
        ClaimedDelivery second = claim("worker-a").getFirst();
        assertThat(db.queue.apply(List.of(Transition.retry(first, "smtp", "timeout", clock.instant().plusSeconds(10), clock.instant()))))
                .hasSize(1);
        assertThat(db.queue.apply(List.of(Transition.sent(second, "smtp", "m-2", clock.instant())))).isEmpty();
        assertThat(trace(id).status()).isEqualTo(Status.SENT);
        assertThat(trace(id).attempts()).isEqualTo(2);
    }

    @Test
    void theDispatcherCountsAndSkipsAFencedOutcome() {
        UUID id = send("u-1", "fence-dispatcher", null);
        // the provider call outlives the lease and another worker takes the entry over meanwhile
        answer = m -> {
            clock.advance(LEASE.plusSeconds(1));
            assertThat(claim("worker-b")).hasSize(1);
            return SendResult.accepted("too-late");
        };
        assertThat(worker.runDue()).isEqualTo(1);
        assertThat(fenced).hasValue(1);
        assertThat(outcomes).as("no outcome reported for the dropped result").hasValue(0);
        var v = trace(id);
        assertThat(v.status()).isEqualTo(Status.SENDING);
        assertThat(v.providerMessageId()).isNull();
    }

    @Test
    void anOpenCircuitCannotKeepANotificationRetryingForEver() {
        answer = m -> SendResult.notAttempted("circuit open for smtp", Duration.ofSeconds(30));
        Instant due = clock.instant();
        UUID id = send("u-1", "open-circuit", null);
        for (int i = 0; i < 200 && !trace(id).status().isTerminal(); i++) {
            worker.runDue();
            clock.advance(Duration.ofSeconds(30));
        }
        var v = trace(id);
        assertThat(v.status()).isEqualTo(Status.FAILED);
        assertThat(v.reason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(v.detail()).contains("maximum age of PT1H", "circuit open for smtp");
        assertThat(v.attempts()).as("refusals never reached the provider").isZero();
        assertThat(v.updatedAt()).isBeforeOrEqualTo(due.plus(Duration.ofHours(1)));
        assertThat(db.count("SELECT count(*) FROM notifications WHERE id = ? AND dead_lettered_at IS NOT NULL", id)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isZero();

        // the circuit closes and an operator requeues it: its age starts again, it is not dead-lettered at once
        answer = m -> SendResult.accepted("ok");
        assertThat(db.queue.requeueDeadLetters(List.of(id), clock.instant())).isEqualTo(1);
        assertThat(worker.runDue()).isEqualTo(1);
        assertThat(trace(id).status()).isEqualTo(Status.SENT);
    }
}
