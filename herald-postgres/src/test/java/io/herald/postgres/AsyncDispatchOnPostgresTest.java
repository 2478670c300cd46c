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
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.core.retry.RetryPolicy;
import io.herald.core.template.TemplateException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dispatcher over an asynchronous provider (answers come later, on a thread of the provider's own): the lane's
 * concurrency bounds the sends in flight, not threads, and stopping waits for the answers still out, storing them.
 */
class AsyncDispatchOnPostgresTest {

    static final WorkQueue EMAIL_QUEUE = new WorkQueue(Channel.EMAIL, null);
    static final int SLOTS = 5;
    static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("async_dispatch");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Keeps every send's answer open until the test completes it. */
    static final class Unanswered implements ChannelProvider {
        final List<CompletableFuture<SendResult>> pending = new ArrayList<>();
        final Semaphore started = new Semaphore(0);

        public String name() {
            return "later";
        }

        public Channel channel() {
            return Channel.EMAIL;
        }

        public SendResult send(OutboundMessage m) {
            throw new AssertionError("the dispatcher must use sendAsync");
        }

        public synchronized CompletionStage<SendResult> sendAsync(OutboundMessage m) {
            CompletableFuture<SendResult> answer = new CompletableFuture<>();
            pending.add(answer);
            started.release();
            return answer;
        }

        synchronized List<CompletableFuture<SendResult>> open() {
            return pending.stream().filter(f -> !f.isDone()).toList();
        }
    }

    @Test
    void sendsInFlightAreBoundedByTheLaneAndStoppingWaitsForTheirAnswers() throws Exception {
        Unanswered provider = new Unanswered();
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0);
        Clock clock = Clock.systemUTC();
        DeliveryAttempt attempt = new DeliveryAttempt(new ProviderRouter(List.of(provider)), retry, DispatchCheck.ALLOW_ALL,
                db.users, DispatchListener.NONE, clock);
        ChannelDispatcher dispatcher = new ChannelDispatcher(EMAIL_QUEUE, new LaneSettings(SLOTS, 50, Duration.ofSeconds(60),
                Duration.ofMillis(50), retry), db.queue, attempt, DispatchListener.NONE, clock, "async-worker");
        SendService intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        },
                RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, clock, UUID::randomUUID);
        db.users.upsert(db.appId, "u-async", "ada@example.com", null, "en", "UTC", null, clock.instant());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 2 * SLOTS; i++) {
            ids.add(intake.send(db.appId, new SendRequest("evt-async-" + i, "u-async", null, Set.of(Channel.EMAIL), null, null, null, null,
                    new Content(null, null, "Hi", "<p>Hi</p>", "Hi", null, null), "transactional", Priority.NORMAL, null, null))
                    .receipt().notifications().getFirst().id());
        }

        dispatcher.start();
        dispatcher.ring(Priority.NORMAL);
        assertThat(provider.started.tryAcquire(SLOTS, 10, TimeUnit.SECONDS)).isTrue();
        // the lane is full: no sixth send starts while five answers are out (checked after a claim round could run)
        assertThat(provider.started.tryAcquire(1, 300, TimeUnit.MILLISECONDS)).as("a send beyond the lane's slots").isFalse();
        assertThat(provider.open()).hasSize(SLOTS);

        // answering frees the slots: the other five go out
        provider.open().forEach(f -> Thread.ofPlatform().start(() -> f.complete(SendResult.accepted("ok"))));
        assertThat(provider.started.tryAcquire(SLOTS, 10, TimeUnit.SECONDS)).isTrue();

        // stop while they are unanswered: close waits for the answers and stores them
        Thread stopping = Thread.ofPlatform().start(dispatcher::close);
        assertThat(stopping.join(Duration.ofMillis(300))).as("close returned with answers still out").isFalse();
        provider.open().forEach(f -> f.complete(SendResult.accepted("ok")));
        assertThat(stopping.join(Duration.ofSeconds(30))).isTrue();

        for (UUID id : ids) assertThat(db.queries.get(db.appId, id).orElseThrow().status()).isEqualTo(Status.SENT);
    }

    /** The PostgreSQL queue whose outcome writes wait until the test opens the gate. */
    static final class SlowWrites extends DelegatingQueue {
        final CountDownLatch gate = new CountDownLatch(1);

        SlowWrites() {
            super(db.queue);
        }

        @Override
        public List<Transition> apply(List<Transition> transitions) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.apply(transitions);
        }
    }

    @Test
    void aLaneClaimsNoMoreWhileItsAnsweredOutcomesAreNotStoredYet() throws Exception {
        // answers come at once, outcomes are slow to store: a slot is free only once its outcome is stored, else claims
        // run ahead of the writer until leases lapse and entries are claimed (and sent) a second time
        Semaphore started = new Semaphore(0);
        ChannelProvider instant = new ChannelProvider() {
            public String name() {
                return "instant";
            }

            public Channel channel() {
                return Channel.EMAIL;
            }

            public SendResult send(OutboundMessage m) {
                started.release();
                return SendResult.accepted("ok");
            }
        };
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0);
        Clock clock = Clock.systemUTC();
        SlowWrites queue = new SlowWrites();
        DeliveryAttempt attempt = new DeliveryAttempt(new ProviderRouter(List.of(instant)), retry, DispatchCheck.ALLOW_ALL, db.users,
                DispatchListener.NONE, clock);
        ChannelDispatcher dispatcher = new ChannelDispatcher(EMAIL_QUEUE, new LaneSettings(SLOTS, 50, Duration.ofSeconds(60),
                Duration.ofMillis(50), retry), queue, attempt, DispatchListener.NONE, clock, "slow-writer");
        SendService intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        }, RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, clock, UUID::randomUUID);
        db.users.upsert(db.appId, "u-slow", "bob@example.com", null, "en", "UTC", null, clock.instant());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3 * SLOTS; i++) {
            ids.add(intake.send(db.appId, new SendRequest("evt-slow-" + i, "u-slow", null, Set.of(Channel.EMAIL), null, null, null, null,
                    new Content(null, null, "Hi", "<p>Hi</p>", "Hi", null, null), "transactional", Priority.NORMAL, null, null))
                    .receipt().notifications().getFirst().id());
        }

        dispatcher.start();
        dispatcher.ring(Priority.NORMAL);
        assertThat(started.tryAcquire(SLOTS, 10, TimeUnit.SECONDS)).isTrue();
        assertThat(started.tryAcquire(1, 300, TimeUnit.MILLISECONDS)).as("a send while the lane's outcomes wait to be stored").isFalse();

        queue.gate.countDown();
        assertThat(started.tryAcquire(2 * SLOTS, 10, TimeUnit.SECONDS)).isTrue();
        dispatcher.close();
        for (UUID id : ids) assertThat(db.queries.get(db.appId, id).orElseThrow().status()).isEqualTo(Status.SENT);
        assertThat(started.availablePermits()).as("each sent once").isZero();
    }
}
