package io.herald.postgres;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.LaneSettings;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.intake.NotificationStore;
import io.herald.core.intake.RecipientPolicy;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.ClaimedDelivery;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole pipeline (intake, queue, dispatcher) on the machine's real PostgreSQL, time driven by a settable clock. */
class PipelineOnPostgresTest {

    static final WorkQueue EMAIL_QUEUE = new WorkQueue(Channel.EMAIL, null);
    static PostgresFixture db;
    static PostgresWorkAnnouncer announcer;
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    final Scripted provider = new Scripted();
    SendService intake;
    ChannelDispatcher email;

    /** A provider whose answer the test chooses. */
    static final class Scripted implements ChannelProvider {
        volatile Function<OutboundMessage, SendResult> answer = m -> SendResult.accepted("msg-" + m.id());
        final ConcurrentLinkedQueue<OutboundMessage> calls = new ConcurrentLinkedQueue<>();

        public String name() {
            return "scripted";
        }

        public Channel channel() {
            return Channel.EMAIL;
        }

        public SendResult send(OutboundMessage m) {
            calls.add(m);
            return answer.apply(m);
        }
    }

    @BeforeAll
    static void start() {
        db = new PostgresFixture("pipeline");
        announcer = new PostgresWorkAnnouncer(db.db.relaxedDataSource());
    }

    @AfterAll
    static void stop() {
        announcer.close();
        db.close();
    }

    @BeforeEach
    void wire() {
        db.jdbc.update("DELETE FROM queue_entries");
        intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "no templates here");
        },
                RecipientPolicy.ALLOW_ALL, db.notifications, announcer, clock, UUID::randomUUID);
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0);
        DeliveryAttempt attempt = new DeliveryAttempt(new ProviderRouter(List.of(provider)), retry, DispatchCheck.ALLOW_ALL,
                db.users, DispatchListener.NONE, clock);
        email = new ChannelDispatcher(EMAIL_QUEUE, new LaneSettings(4, 50, Duration.ofSeconds(60), Duration.ofMillis(50), retry),
                db.queue, attempt, DispatchListener.NONE, clock, "test-worker");
        db.users.upsert(db.appId, "u-1", "ada@example.com", "+821012345678", "ko-KR", "Asia/Seoul", null, clock.instant());
    }

    private SendRequest emailTo(String user, String eventId) {
        return new SendRequest(eventId, user, null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "Hello", "<p>Hi</p>", "Hi", null, null), "transactional", Priority.NORMAL, null, null);
    }

    private NotificationQueries.NotificationView trace(UUID id) {
        return db.queries.get(db.appId, id).orElseThrow();
    }

    @Test
    void acceptedNotificationIsSentWithItsFullHistory() {
        var stored = intake.send(db.appId, emailTo("u-1", "evt-sent"));
        assertThat(stored.replay()).isFalse();
        UUID id = stored.receipt().notifications().getFirst().id();
        assertThat(stored.receipt().notifications().getFirst().status()).isEqualTo(Status.QUEUED);
        assertThat(stored.receipt().notifications().getFirst().target()).isEqualTo("a***@example.com");

        assertThat(email.runDue()).isEqualTo(1);

        var v = trace(id);
        assertThat(v.status()).isEqualTo(Status.SENT);
        assertThat(v.provider()).isEqualTo("scripted");
        assertThat(v.providerMessageId()).isEqualTo("msg-" + id);
        assertThat(v.attempts()).isEqualTo(1);
        assertThat(v.events()).extracting(NotificationQueries.Event::status).containsExactly("QUEUED", "SENDING", "SENT");
        // the first claim's SENDING is kept on the row (V29), with its attempt and the claim's time
        assertThat(v.events().get(1).attempt()).isEqualTo(1);
        assertThat(v.events().get(1).at()).isEqualTo(clock.instant());
        assertThat(db.count("SELECT count(*) FROM notification_events WHERE notification_id = ? AND status = 'SENDING'", id)).isZero();
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isZero();
        assertThat(provider.calls).extracting(OutboundMessage::id).containsExactly(id);
    }

    @Test
    void deletingANotificationStillDeletesItsQueueEntry() {
        UUID kept = intake.send(db.appId, emailTo("u-1", "evt-kept")).receipt().notifications().getFirst().id();
        UUID gone = intake.send(db.appId, emailTo("u-1", "evt-deleted")).receipt().notifications().getFirst().id();
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isEqualTo(2);
        // V24 replaced the foreign key's ON DELETE CASCADE by a statement trigger
        db.jdbc.update("DELETE FROM notifications WHERE id = ?", gone);
        assertThat(db.jdbc.queryForList("SELECT notification_id FROM queue_entries", UUID.class)).containsExactly(kept);
    }

    @Test
    void deletingNotificationsStillDeletesTheirHistory() {
        UUID kept = intake.send(db.appId, emailTo("u-1", "evt-history-kept")).receipt().notifications().getFirst().id();
        UUID gone = intake.send(db.appId, emailTo("u-1", "evt-history-gone")).receipt().notifications().getFirst().id();
        assertThat(email.runDue()).isEqualTo(2);
        String events = "SELECT count(*) FROM notification_events WHERE notification_id = ?";
        assertThat(db.count(events, gone)).isEqualTo(1); // SENT (QUEUED and the first claim's SENDING are on the row)
        // V27 replaced the foreign key's ON DELETE CASCADE by a statement trigger
        db.jdbc.update("DELETE FROM notifications WHERE id = ?", gone);
        assertThat(db.count(events, gone)).isZero();
        assertThat(db.count(events, kept)).isEqualTo(1);
    }

    @Test
    void sameEventIdReturnsTheFirstAnswerAndCreatesNothing() {
        var first = intake.send(db.appId, emailTo("u-1", "evt-dup"));
        var again = intake.send(db.appId, emailTo("u-1", "evt-dup"));
        assertThat(again.replay()).isTrue();
        assertThat(again.receipt()).isEqualTo(first.receipt());
        assertThat(db.count("SELECT count(*) FROM notifications WHERE app_id = ? AND event_id = 'evt-dup'", db.appId)).isEqualTo(1);
    }

    @Test
    void transientFailuresBackOffThenDeadLetterAndCanBeRequeued() {
        provider.answer = m -> SendResult.failed("smtp 421 try later");
        UUID id = intake.send(db.appId, emailTo("u-1", "evt-retry")).receipt().notifications().getFirst().id();

        assertThat(email.runDue()).isEqualTo(1);
        assertThat(trace(id).status()).isEqualTo(Status.RETRYING);
        assertThat(email.runDue()).as("not due again before the backoff").isZero();

        clock.advance(Duration.ofSeconds(10)); // first backoff is 5..10 s with jitter
        assertThat(email.runDue()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(20));
        assertThat(email.runDue()).isEqualTo(1);

        var dead = trace(id);
        assertThat(dead.status()).isEqualTo(Status.FAILED);
        assertThat(dead.reason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(db.queue.stats(clock.instant())).filteredOn(s -> s.channel() == Channel.EMAIL && s.priority() == Priority.NORMAL)
                .singleElement().extracting(s -> s.deadLetter()).isEqualTo(1L);

        provider.answer = m -> SendResult.accepted("ok");
        assertThat(db.queue.requeueDeadLetters(List.of(id), clock.instant())).isEqualTo(1);
        assertThat(email.runDue()).isEqualTo(1);
        assertThat(trace(id).status()).isEqualTo(Status.SENT);
        assertThat(trace(id).events()).extracting(NotificationQueries.Event::status)
                .containsExactly("QUEUED", "SENDING", "RETRYING", "SENDING", "RETRYING", "SENDING", "FAILED", "QUEUED", "SENDING", "SENT");
        assertThat(trace(id).events()).filteredOn(e -> e.status().equals("SENDING")).extracting(NotificationQueries.Event::attempt)
                .containsExactly(1, 2, 3, 1);
        // only the very first claim is kept on the row: the requeued dead letter's first claim is an event row again
        assertThat(db.count("SELECT count(*) FROM notification_events WHERE notification_id = ? AND status = 'SENDING'", id))
                .isEqualTo(3);
    }

    @Test
    void providerRetryAfterIsHonoured() {
        provider.answer = m -> SendResult.failed("429", Duration.ofMinutes(5));
        UUID id = intake.send(db.appId, emailTo("u-1", "evt-ra")).receipt().notifications().getFirst().id();
        email.runDue();
        provider.answer = m -> SendResult.accepted("ok");
        clock.advance(Duration.ofMinutes(4));
        assertThat(email.runDue()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(email.runDue()).isEqualTo(1);
        assertThat(trace(id).status()).isEqualTo(Status.SENT);
    }

    @Test
    void aLocalRefusalWaitsWithoutUsingAnAttempt() {
        provider.answer = m -> SendResult.notAttempted("circuit open for scripted", Duration.ofSeconds(30));
        UUID id = intake.send(db.appId, emailTo("u-1", "evt-open")).receipt().notifications().getFirst().id();
        for (int i = 0; i < 5; i++) {
            email.runDue();
            clock.advance(Duration.ofSeconds(30));
        }
        var v = trace(id);
        assertThat(v.status()).isEqualTo(Status.RETRYING);
        assertThat(v.attempts()).as("refusals that never reached the provider do not count").isZero();
        assertThat(v.detail()).contains("not attempted");
        provider.answer = m -> SendResult.accepted("ok");
        email.runDue();
        assertThat(trace(id).status()).isEqualTo(Status.SENT);
        assertThat(trace(id).attempts()).isEqualTo(1);
    }

    @Test
    void aStoppedDispatcherStartsAgainAndKeepsDelivering() throws Exception {
        for (int round = 0; round < 3; round++) {
            email.start();
            UUID id = intake.send(db.appId, emailTo("u-1", "evt-restart-" + round)).receipt().notifications().getFirst().id();
            email.ring(Priority.NORMAL);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (trace(id).status() != Status.SENT && System.nanoTime() < deadline) Thread.sleep(20);
            email.close();
            assertThat(trace(id).status()).as("round " + round).isEqualTo(Status.SENT);
        }
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isZero();
    }

    @Test
    void bulkLanesRestWhileHighDeliveriesWaitAndHighNeverDoes() throws Exception {
        var rests = new java.util.concurrent.CopyOnWriteArrayList<Duration>();
        var bulkYield = new io.herald.core.dispatch.BulkYield(new io.herald.core.dispatch.BulkYield.Settings(Duration.ofMillis(50),
                Duration.ofMillis(10), Duration.ofMillis(250), Duration.ofHours(1)), System::nanoTime, rests::add);
        email.yieldTo(bulkYield);
        SendRequest urgent = new SendRequest("evt-yield-high", "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "Code", null, "123456", null, null), "transactional", Priority.HIGH, null, null);
        UUID high = intake.send(db.appId, urgent).receipt().notifications().getFirst().id();
        clock.advance(Duration.ofSeconds(1)); // claimed a second after it was due: HIGH is strained
        email.start();
        try {
            email.ring(Priority.HIGH);
            awaitSent(high);
            assertThat(bulkYield.rest()).isEqualTo(Duration.ofMillis(10));
            UUID bulk = intake.send(db.appId, emailTo("u-1", "evt-yield-normal")).receipt().notifications().getFirst().id();
            email.ring(Priority.NORMAL);
            awaitSent(bulk);
            assertThat(rests).as("the NORMAL lane rested before its claims").isNotEmpty().containsOnly(Duration.ofMillis(10));
        } finally {
            email.close();
        }
    }

    private void awaitSent(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (trace(id).status() != Status.SENT && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(trace(id).status()).isEqualTo(Status.SENT);
    }

    @Test
    void workersInOtherProcessesAreWokenAtCommit() throws Exception {
        var heard = new java.util.concurrent.LinkedBlockingQueue<String>();
        try (var listener = new PostgresWorkListener(db.db.dataSource(), (c, p) -> heard.add(c + ":" + p))) {
            // LISTEN must be in place before the commit (notifications are not queued for late listeners)
            assertThat(listener.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            // the intake statement itself notifies nobody (a notify there holds PostgreSQL's notify lock until the
            // commit is on disk): only the announcer does, after the commit. Had it, SMS:NORMAL would come first.
            var silent = new SendService(db.users, (k, v, l, d) -> {
                throw new TemplateException(TemplateException.Kind.NOT_FOUND, "no templates here");
            }, RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, clock, UUID::randomUUID);
            silent.send(db.appId, new SendRequest("unannounced", "u-1", null, Set.of(Channel.SMS), null, null, null, null,
                    new Content(null, null, null, null, "t", null, null), null, Priority.NORMAL, null, null));
            var otp = new SendRequest("otp-wake", "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                    new Content(null, null, "Code", null, "123456", null, null), "security", Priority.HIGH, null, null);
            intake.send(db.appId, otp);
            assertThat(heard.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("EMAIL:HIGH");
            // a scheduled send is not due yet: nobody is woken for it
            var later = new SendRequest("later-wake", "u-1", null, Set.of(Channel.SMS), null, null, null, null,
                    new Content(null, null, null, null, "t", null, null), null, Priority.NORMAL, clock.instant().plusSeconds(3600), null);
            intake.send(db.appId, later);
            // notifications arrive in commit order: had the scheduled one woken anybody, SMS:NORMAL would come first
            var due = new SendRequest("due-wake", "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                    new Content(null, null, "Hi", null, "t", null, null), null, Priority.LOW, null, null);
            intake.send(db.appId, due);
            assertThat(heard.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("EMAIL:LOW");
        }
    }

    @Test
    void permanentRejectionFailsAtOnceWithItsReason() {
        provider.answer = m -> SendResult.rejected(Reason.INVALID_RECIPIENT, "550 no such mailbox");
        UUID id = intake.send(db.appId, emailTo("u-1", "evt-rej")).receipt().notifications().getFirst().id();
        email.runDue();
        var v = trace(id);
        assertThat(v.status()).isEqualTo(Status.FAILED);
        assertThat(v.reason()).isEqualTo("INVALID_RECIPIENT");
        assertThat(v.detail()).contains("550");
        assertThat(v.attempts()).isEqualTo(1);
    }

    @Test
    void scheduledSendWaitsForItsTimeAndExpiredOneNeverGoes() {
        Instant in1h = clock.instant().plus(Duration.ofHours(1));
        var later = new SendRequest("evt-later", "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "S", null, "t", null, null), null, Priority.NORMAL, in1h, null);
        var expiring = new SendRequest("evt-expiring", "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "S", null, "t", null, null), null, Priority.NORMAL, in1h, in1h.plus(Duration.ofMinutes(1)));
        UUID a = intake.send(db.appId, later).receipt().notifications().getFirst().id();
        UUID b = intake.send(db.appId, expiring).receipt().notifications().getFirst().id();
        assertThat(trace(a).status()).isEqualTo(Status.SCHEDULED);
        assertThat(email.runDue()).isZero();

        clock.set(in1h.plus(Duration.ofMinutes(2)));
        assertThat(db.queue.expireOverdue(clock.instant(), 100)).isEqualTo(1);
        assertThat(db.queue.promoteDue(clock.instant(), 100)).isEqualTo(1);
        assertThat(trace(a).status()).isEqualTo(Status.QUEUED);
        assertThat(email.runDue()).isEqualTo(1);
        assertThat(trace(a).status()).isEqualTo(Status.SENT);
        assertThat(trace(b).status()).isEqualTo(Status.EXPIRED);
        assertThat(trace(b).reason()).isEqualTo("EXPIRED");
        // the intake's SCHEDULED event is kept on the row (V23) and still heads the history, with its time and detail
        assertThat(trace(a).events()).extracting(NotificationQueries.Event::status).containsExactly("SCHEDULED", "QUEUED", "SENDING",
                "SENT");
        assertThat(trace(a).events().getFirst().detail()).isEqualTo("scheduled for " + in1h);
        assertThat(trace(a).events().getFirst().at()).isEqualTo(trace(a).createdAt());
        assertThat(db.count("SELECT count(*) FROM notification_events WHERE notification_id = ? AND status = 'SCHEDULED'", a)).isZero();
        assertThat(provider.calls).extracting(OutboundMessage::id).doesNotContain(b);
    }

    @Test
    void cancelWorksOnlyWhileWaiting() {
        var later = new SendRequest("evt-cancel", "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "S", null, "t", null, null), null, Priority.NORMAL, clock.instant().plusSeconds(600), null);
        UUID id = intake.send(db.appId, later).receipt().notifications().getFirst().id();
        assertThat(db.queue.cancel(db.appId + 999, id, clock.instant())).as("another app cannot cancel it").isFalse();
        assertThat(db.queue.cancel(db.appId, id, clock.instant())).isTrue();
        assertThat(trace(id).status()).isEqualTo(Status.CANCELLED);
        assertThat(db.queue.cancel(db.appId, id, clock.instant())).isFalse();
        clock.advance(Duration.ofHours(1));
        assertThat(email.runDue()).isZero();
    }

    @Test
    void leaseOfADeadWorkerExpiresAndTheEntryIsReclaimed() {
        UUID id = intake.send(db.appId, emailTo("u-1", "evt-lease")).receipt().notifications().getFirst().id();
        List<ClaimedDelivery> first = db.queue.claim(EMAIL_QUEUE, Priority.NORMAL, 10, Duration.ofSeconds(30), "worker-a", clock.instant());
        assertThat(first).extracting(ClaimedDelivery::id).containsExactly(id);
        // worker-a dies here without an outcome
        assertThat(db.queue.claim(EMAIL_QUEUE, Priority.NORMAL, 10, Duration.ofSeconds(30), "worker-b", clock.instant())).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        List<ClaimedDelivery> again = db.queue.claim(EMAIL_QUEUE, Priority.NORMAL, 10, Duration.ofSeconds(30), "worker-b", clock.instant());
        assertThat(again).singleElement().satisfies(d -> {
            assertThat(d.reclaimed()).isTrue();
            assertThat(d.attempt()).isEqualTo(2);
        });
        assertThat(trace(id).events()).extracting(NotificationQueries.Event::detail).contains("lease of worker-a expired; reclaimed");
    }

    @Test
    void highPriorityHasItsOwnLane() {
        for (int i = 0; i < 30; i++) intake.send(db.appId, emailTo("u-1", "bulk-" + i));
        var otp = new SendRequest("otp-1", "u-1", null, Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "Code", null, "123456", null, null), "security", Priority.HIGH, null, null);
        UUID otpId = intake.send(db.appId, otp).receipt().notifications().getFirst().id();
        List<ClaimedDelivery> high = db.queue.claim(EMAIL_QUEUE, Priority.HIGH, 10, Duration.ofSeconds(30), "w", clock.instant());
        assertThat(high).extracting(ClaimedDelivery::id).containsExactly(otpId);
    }

    @Test
    void concurrentClaimersNeverGetTheSameEntry() throws Exception {
        List<SendRequest> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) batch.add(emailTo("u-1", "conc-" + i));
        intake.sendBatch(db.appId, batch);
        List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int w = 0; w < 4; w++) {
                String owner = "w" + w;
                pool.submit(() -> {
                    go.await();
                    List<ClaimedDelivery> got;
                    while (!(got = db.queue.claim(EMAIL_QUEUE, Priority.NORMAL, 25, Duration.ofMinutes(5), owner, clock.instant()))
                            .isEmpty()) {
                        got.forEach(d -> claimed.add(d.id()));
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(claimed).hasSize(1000);
        assertThat(new HashSet<>(claimed)).hasSize(1000);
    }

    @Test
    void trackingEventsApplyTheCoreRuleAndStayWithinTheirApp() {
        UUID id = intake.send(db.appId, emailTo("u-1", "evt-tracked")).receipt().notifications().getFirst().id();
        assertThat(email.runDue()).isEqualTo(1);
        Instant at = clock.instant();
        assertThat(db.queries.recordEvent(db.appId + 1_000_000, id, io.herald.core.trace.TrackingEvent.OPENED, at, null))
                .as("another app's notification is not found").isFalse();
        assertThat(db.queries.recordEvent(db.appId, id, io.herald.core.trace.TrackingEvent.CONVERTED, at, "order 7")).isTrue();
        assertThat(trace(id).status()).as("a conversion says nothing about delivery").isEqualTo(Status.SENT);
        assertThat(db.queries.recordEvent(db.appId, id, io.herald.core.trace.TrackingEvent.OPENED, at, null)).isTrue();
        assertThat(trace(id).status()).as("an open implies delivery").isEqualTo(Status.DELIVERED);
        assertThat(trace(id).events()).extracting(NotificationQueries.Event::status).endsWith("SENT", "CONVERTED", "OPENED");
    }

    @Test
    void recipientProblemsAreTerminalNotificationsNotErrors() {
        var stored = intake.send(db.appId, new SendRequest("evt-nobody", "ghost", null, Set.of(Channel.EMAIL, Channel.PUSH), null,
                null, null, null, new Content("T", "B", "S", null, "t", null, null), null, Priority.NORMAL, null, null));
        assertThat(stored.receipt().notifications()).hasSize(2).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo(Status.FAILED);
            assertThat(i.reason()).isEqualTo(Reason.NO_RECIPIENT);
        });
        assertThat(db.count("SELECT count(*) FROM queue_entries")).isZero();
        // an outcome at intake stays an event row: its trigger feeds analytics and status webhooks
        for (var item : stored.receipt().notifications()) {
            assertThat(db.count("""
                    SELECT count(*) FROM engagement_pending p JOIN notification_events e ON e.id = p.event_id
                    WHERE e.notification_id = ? AND e.status = 'FAILED'""", item.id())).isEqualTo(1);
            assertThat(trace(item.id()).events()).extracting(NotificationQueries.Event::reason).containsExactly("NO_RECIPIENT");
        }
    }

    @Test
    void unregisteredTokenDeactivatesTheDevice() {
        var reg = db.users.registerDevice(db.appId, "u-1", Platform.IOS, "tok-123", null, clock.instant());
        assertThat(reg.getValue()).isTrue();
        assertThat(db.users.registerDevice(db.appId, "u-1", Platform.IOS, "tok-123", null, clock.instant()).getValue()).isFalse();
        ChannelProvider apns = new ChannelProvider() {
            public String name() {
                return "apns";
            }
            public Channel channel() {
                return Channel.PUSH;
            }
            public SendResult send(OutboundMessage m) {
                return new SendResult.Rejected(Reason.TOKEN_UNREGISTERED, "Unregistered", clock.instant());
            }
        };
        RetryPolicy retry = RetryPolicy.DEFAULT;
        ChannelDispatcher push = new ChannelDispatcher(new WorkQueue(Channel.PUSH, Platform.IOS), LaneSettings.DEFAULT, db.queue,
                new DeliveryAttempt(new ProviderRouter(List.of(apns)), retry, DispatchCheck.ALLOW_ALL, db.users, DispatchListener.NONE,
                        clock),
                DispatchListener.NONE, clock, "w");
        clock.advance(Duration.ofSeconds(1));
        var stored = intake.send(db.appId, new SendRequest("evt-push", "u-1", null, Set.of(Channel.PUSH), null, null, null, null,
                new Content("T", "B", null, null, null, null, null), null, Priority.NORMAL, null, null));
        assertThat(push.runDue()).isEqualTo(1);
        assertThat(trace(stored.receipt().notifications().getFirst().id()).reason()).isEqualTo("TOKEN_UNREGISTERED");
        assertThat(db.users.activeDevices(db.appId, "u-1")).isEmpty();
    }
}
