package io.herald.postgres;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.LaneSettings;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.intake.LaneHandoff;
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
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.core.retry.RetryPolicy;
import io.herald.core.template.TemplateException;
import io.herald.core.trace.NotificationTraces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Intake hands an immediate notification straight to an idle lane of its process ({@link LaneHandoff}): stored leased
 * to the lane, delivered without a claim, with the history a claim would have written; and if the process dies after
 * the commit, the entry is claimed again once the lease ends, like any claim of a dead worker.
 */
class IntakeHandoffOnPostgresTest {

    static final WorkQueue EMAIL_QUEUE = new WorkQueue(Channel.EMAIL, null);
    static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0);
    static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("intake_handoff");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /**
     * The PostgreSQL queue, counting the rows claims returned. The latch opens once every lane has begun its second
     * claim: by then each has taken in what its first (empty) claim found.
     */
    static final class CountingQueue extends DelegatingQueue {
        final AtomicInteger claimedRows = new AtomicInteger();
        final java.util.Map<Priority, AtomicInteger> claims = new java.util.concurrent.ConcurrentHashMap<>();
        final CountDownLatch firstClaim = new CountDownLatch(Priority.values().length);

        CountingQueue() {
            super(db.queue);
        }

        @Override
        public List<ClaimedDelivery> claim(WorkQueue q, Priority p, int max, Duration lease, String owner, Instant now) {
            if (claims.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet() == 2) firstClaim.countDown();
            List<ClaimedDelivery> rows = super.claim(q, p, max, lease, owner, now);
            claimedRows.addAndGet(rows.size());
            return rows;
        }
    }

    /** Counts the deliveries a dispatcher started as handoffs. */
    static final class HandoffStarts implements DispatchListener {
        final AtomicInteger handedOff = new AtomicInteger();

        @Override
        public void deliveriesStarted(WorkQueue q, Priority p, int count, boolean handoff) {
            if (handoff) handedOff.addAndGet(count);
        }
    }

    /** A reservation of a lane that never delivers: it counts what intake does with it. */
    static final class CountedSlot implements LaneHandoff.Reservation {
        final AtomicInteger started = new AtomicInteger(), cancelled = new AtomicInteger();
        private final String owner;

        CountedSlot(String owner) {
            this.owner = owner;
        }

        public String owner() {
            return owner;
        }

        public Duration lease() {
            return Duration.ofSeconds(60);
        }

        public void start(ClaimedDelivery delivery) {
            started.incrementAndGet();
        }

        public void cancel() {
            cancelled.incrementAndGet();
        }
    }

    static final class Recording implements ChannelProvider {
        final Semaphore sent = new Semaphore(0);
        final List<UUID> ids = java.util.Collections.synchronizedList(new ArrayList<>());

        public String name() {
            return "recording";
        }

        public Channel channel() {
            return Channel.EMAIL;
        }

        public SendResult send(OutboundMessage m) {
            ids.add(m.id());
            sent.release();
            return SendResult.accepted("msg-" + m.id());
        }
    }

    private static SendService intake(Clock clock, LaneHandoff handoff) {
        return intake(clock, handoff, io.herald.core.intake.EventIdFastPath.NONE);
    }

    private static SendService intake(Clock clock, LaneHandoff handoff, io.herald.core.intake.EventIdFastPath fastPath) {
        return new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        }, RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, clock, UUID::randomUUID, ZoneOffset.UTC,
                io.herald.core.intake.AppZones.NONE, fastPath, handoff);
    }

    private static UUID send(SendService intake, String eventId, String userId) {
        return intake.send(db.appId, new SendRequest(eventId, userId, null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "Hi", "<p>Hi</p>", "Hi", null, null), "transactional", Priority.NORMAL, null, null))
                .receipt().notifications().getFirst().id();
    }

    @Test
    void anIdleLaneDeliversAFreshSendWithoutClaimingIt() throws Exception {
        Clock clock = Clock.systemUTC();
        Recording provider = new Recording();
        CountingQueue queue = new CountingQueue();
        DeliveryAttempt attempt = new DeliveryAttempt(new ProviderRouter(List.of(provider)), RETRY, DispatchCheck.ALLOW_ALL, db.users,
                DispatchListener.NONE, clock);
        db.users.upsert(db.appId, "u-handoff", "ada@example.com", null, "en", "UTC", null, clock.instant());
        List<UUID> ids = new ArrayList<>();
        HandoffStarts starts = new HandoffStarts();
        try (ChannelDispatcher dispatcher = new ChannelDispatcher(EMAIL_QUEUE, new LaneSettings(4, 50, Duration.ofSeconds(60),
                Duration.ofMillis(50), RETRY, Duration.ofMillis(50)), queue, attempt, starts, clock, "worker-a")) {
            SendService intake = intake(clock, (q, p) -> q.equals(EMAIL_QUEUE) ? dispatcher.reserve(p) : null);
            assertThat(dispatcher.reserve(Priority.NORMAL)).as("a lane not started takes nothing").isNull();
            dispatcher.start();
            // the lanes' first claims find nothing: from then on they take handoffs (and keep looking every 50 ms, finding
            // nothing: the notifications are leased to them already)
            assertThat(queue.firstClaim.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
                ids.add(send(intake, "evt-handoff-" + i, "u-handoff"));
                assertThat(provider.sent.tryAcquire(10, TimeUnit.SECONDS)).as("delivery %d", i).isTrue();
            }
        } // close stores the outcomes still in the writer's hands
        assertThat(provider.ids).containsExactlyElementsOf(ids);
        assertThat(queue.claimedRows.get()).as("rows any claim returned").isZero();
        assertThat(starts.handedOff).as("deliveries started as handoffs").hasValue(3);
        for (UUID id : ids) {
            NotificationTraces.NotificationView view = db.queries.get(db.appId, id).orElseThrow();
            assertThat(view.status()).isEqualTo(Status.SENT);
            assertThat(view.attempts()).isEqualTo(1);
            assertThat(view.events()).extracting(NotificationTraces.Event::status).containsExactly("QUEUED", "SENDING", "SENT");
            assertThat(view.events().get(1).attempt()).isEqualTo(1);
            assertThat(view.events().get(1).at()).isEqualTo(view.createdAt());
            assertThat(db.count("SELECT count(*) FROM notification_events WHERE notification_id = ?", id))
                    .as("event rows: the SENT only (QUEUED and the handoff's SENDING are on the row)").isEqualTo(1);
        }
        assertThat(db.jdbc.queryForObject("SELECT count(*) FROM queue_entries WHERE notification_id = ANY(?::uuid[])", Integer.class,
                (Object) ids.stream().map(UUID::toString).toArray(String[]::new))).as("queue entries left").isZero();
    }

    @Test
    void aLaneTakesNoMoreHandoffsThanItHasFreeSlots() throws Exception {
        Clock clock = Clock.systemUTC();
        CountingQueue queue = new CountingQueue();
        DeliveryAttempt attempt = new DeliveryAttempt(new ProviderRouter(List.of(new Recording())), RETRY, DispatchCheck.ALLOW_ALL,
                db.users, DispatchListener.NONE, clock);
        try (ChannelDispatcher dispatcher = new ChannelDispatcher(EMAIL_QUEUE, new LaneSettings(2, 50, Duration.ofSeconds(60),
                Duration.ofMillis(50), RETRY, Duration.ofMillis(50), 1), queue, attempt, DispatchListener.NONE, clock, "worker-b")) {
            dispatcher.start();
            assertThat(queue.firstClaim.await(10, TimeUnit.SECONDS)).isTrue();
            LaneHandoff.Reservation first = dispatcher.reserve(Priority.NORMAL), second = dispatcher.reserve(Priority.NORMAL);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            LaneHandoff.Reservation third = dispatcher.reserve(Priority.NORMAL);
            assertThat(third).as("a third, with two slots and a headroom of one").isNotNull();
            assertThat(dispatcher.reserve(Priority.NORMAL)).as("a fourth").isNull();
            third.cancel();
            assertThat(dispatcher.reserve(Priority.HIGH)).as("another lane's slots").isNotNull().satisfies(LaneHandoff.Reservation::cancel);
            first.cancel();
            LaneHandoff.Reservation again = dispatcher.reserve(Priority.NORMAL);
            assertThat(again).as("the slot a cancel freed").isNotNull();
            assertThat(again.owner()).isEqualTo("worker-b");
            assertThat(again.lease()).isEqualTo(Duration.ofSeconds(60));
            again.cancel();
            second.cancel();
        }
    }

    /**
     * A provider that holds the test's sends until the test opens the gate, and counts those inside it at once. Other
     * tests' leftovers in the shared queue pass at once.
     */
    static final class Gated implements ChannelProvider {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger inside = new AtomicInteger(), mostInside = new AtomicInteger();
        final Semaphore sent = new Semaphore(0);

        public String name() {
            return "gated";
        }

        public Channel channel() {
            return Channel.EMAIL;
        }

        public SendResult send(OutboundMessage m) {
            if (!m.eventId().startsWith("evt-headroom-")) return SendResult.accepted("msg-" + m.id());
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
            sent.release();
            return SendResult.accepted("msg-" + m.id());
        }
    }

    @Test
    void handoffsInTheHeadroomWaitForTheLanesConcurrencyToSend() throws Exception {
        Clock clock = Clock.systemUTC();
        Gated provider = new Gated();
        CountingQueue queue = new CountingQueue();
        DeliveryAttempt attempt = new DeliveryAttempt(new ProviderRouter(List.of(provider)), RETRY, DispatchCheck.ALLOW_ALL, db.users,
                DispatchListener.NONE, clock);
        db.users.upsert(db.appId, "u-headroom", "di@example.com", null, "en", "UTC", null, clock.instant());
        List<UUID> ids = new ArrayList<>();
        HandoffStarts starts = new HandoffStarts();
        // one slot, two more handoffs in the headroom: three deliveries taken, one provider call at a time
        try (ChannelDispatcher dispatcher = new ChannelDispatcher(EMAIL_QUEUE, new LaneSettings(1, 50, Duration.ofSeconds(60),
                Duration.ofMillis(50), RETRY, Duration.ofMillis(50), 2), queue, attempt, starts, clock, "worker-h")) {
            SendService intake = intake(clock, (q, p) -> q.equals(EMAIL_QUEUE) ? dispatcher.reserve(p) : null);
            dispatcher.start();
            assertThat(queue.firstClaim.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) ids.add(send(intake, "evt-headroom-" + i, "u-headroom"));
            assertThat(dispatcher.reserve(Priority.NORMAL)).as("past slot and headroom, while the first call holds").isNull();
            provider.gate.countDown();
            assertThat(provider.sent.tryAcquire(3, 10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(provider.mostInside).as("provider calls at once, with a concurrency of one").hasValue(1);
        assertThat(starts.handedOff).as("deliveries started as handoffs").hasValue(3);
        for (UUID id : ids) assertThat(db.queries.get(db.appId, id).orElseThrow().status()).isEqualTo(Status.SENT);
    }

    @Test
    void aHandoffWhoseProcessDiedIsClaimedAgainOnceItsLeaseEnds() {
        Instant now = Instant.parse("2026-12-03T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        db.users.upsert(db.appId, "u-dies", "bob@example.com", null, "en", "UTC", null, now);
        // the process reserves, commits, and dies before the delivery starts
        CountedSlot slot = new CountedSlot("worker-dead");
        LaneHandoff dying = (q, p) -> slot;
        UUID id = send(intake(clock, dying), "evt-dies", "u-dies");
        assertThat(slot.started).hasValue(1);
        assertThat(db.queries.get(db.appId, id).orElseThrow().status()).as("stored leased").isEqualTo(Status.SENDING);

        assertThat(db.queue.claim(EMAIL_QUEUE, Priority.NORMAL, 10, Duration.ofSeconds(60), "worker-b", now.plusSeconds(59)))
                .as("while the lease holds").noneMatch(d -> d.id().equals(id));
        List<ClaimedDelivery> reclaimed = db.queue.claim(EMAIL_QUEUE, Priority.NORMAL, 10, Duration.ofSeconds(60), "worker-b",
                now.plusSeconds(61)).stream().filter(d -> d.id().equals(id)).toList();
        assertThat(reclaimed).singleElement().satisfies(d -> {
            assertThat(d.reclaimed()).isTrue();
            assertThat(d.attempt()).isEqualTo(2);
            assertThat(d.reclaims()).isEqualTo(1);
        });
        assertThat(db.queries.get(db.appId, id).orElseThrow().events()).extracting(NotificationTraces.Event::detail)
                .contains("lease of worker-dead expired; reclaimed");
    }

    @Test
    void aReplayedEventIdFreesItsReservation() {
        Clock clock = Clock.systemUTC();
        db.users.upsert(db.appId, "u-replay", "cy@example.com", null, "en", "UTC", null, clock.instant());
        CountedSlot slot = new CountedSlot("worker-c");
        LaneHandoff counting = (q, p) -> slot;
        // the first stores nothing leased (no handoff); the same eventId again skips the look-up (a fast path that calls
        // every eventId new, as one racing the first would): planned, reserved, and turned away by the receipt's unique key
        UUID first = send(intake(clock, LaneHandoff.NONE), "evt-replay", "u-replay");
        List<Object> results = intake(clock, counting, (app, events) -> Set.copyOf(events)).sendBatch(db.appId,
                List.of(new SendRequest("evt-replay", "u-replay", null,
                        Set.of(Channel.EMAIL), null, null, null, null, new Content(null, null, "Hi", "<p>Hi</p>", "Hi", null, null),
                        "transactional", Priority.NORMAL, null, null)));
        assertThat(results).singleElement().isInstanceOfSatisfying(io.herald.core.intake.NotificationStore.Stored.class, s -> {
            assertThat(s.replay()).isTrue();
            assertThat(s.receipt().notifications().getFirst().id()).isEqualTo(first);
        });
        assertThat(slot.started).as("nothing new was stored, nothing starts").hasValue(0);
        assertThat(slot.cancelled).as("its reserved slot freed").hasValue(1);
    }
}
