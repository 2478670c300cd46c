package io.herald.core.intake;

import io.herald.core.model.Content;
import io.herald.core.model.Target;
import io.herald.core.ratelimit.MutableClock;
import io.herald.core.user.UserProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Single sends handed once to the intake threads: each caller gets its own answer, exactly as a send on its own. */
class SingleSendIntakeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final Store store = new Store();
    private final SendService sends = new SendService(new NoUsers(), (key, version, locale, data) -> {
        throw new AssertionError("no templates in this test");
    }, RecipientPolicy.ALLOW_ALL, store, WorkNotifier.NONE, clock, UUID::randomUUID);

    private static SendRequest send(String eventId) {
        return send(eventId, null);
    }

    private static SendRequest send(String eventId, Instant expiresAt) {
        return new SendRequest(eventId, null, List.of(new Target.Email("ada@example.com")), null, null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), null, null, null, expiresAt);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // the spin below waits for three sends to queue
    void sendsWaitingTogetherAreStoredInOneTransactionAndEachCallerGetsItsOwnReceipt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        store.hold = release;
        try (SingleSendIntake intake = SingleSendIntake.grouped(sends, 1, 100, Duration.ZERO)) {
            CompletableFuture<NotificationStore.Stored> first = CompletableFuture.supplyAsync(() -> intake.send(1, send("g-0")));
            assertThat(store.entered.await(10, TimeUnit.SECONDS)).as("the first send is in the database").isTrue();
            List<CompletableFuture<NotificationStore.Stored>> others = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String eventId = "g-" + i;
                others.add(CompletableFuture.supplyAsync(() -> intake.send(1, send(eventId)), Thread::startVirtualThread));
            }
            while (intake.queued() < 3) Thread.onSpinWait(); // all three wait for the one intake thread
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS).receipt().eventId()).isEqualTo("g-0");
            for (int i = 0; i < 3; i++) {
                NotificationStore.Stored s = others.get(i).get(10, TimeUnit.SECONDS);
                assertThat(s.replay()).isFalse();
                assertThat(s.receipt().eventId()).isEqualTo("g-" + (i + 1));
            }
            assertThat(store.transactions).containsExactly(1, 3);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // spins wait for sends to queue
    void pastTheLimitOfSendsInIntakeOthersAreRefusedAtOnceButHighOnesAreLetInAndGoFirst() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        store.hold = release;
        try (SingleSendIntake intake = SingleSendIntake.grouped(sends, 1, 1, Duration.ZERO, 3)) {
            CompletableFuture<NotificationStore.Stored> first = CompletableFuture.supplyAsync(() -> intake.send(1, send("s-0")));
            assertThat(store.entered.await(10, TimeUnit.SECONDS)).as("the first send is in the database").isTrue();
            List<CompletableFuture<NotificationStore.Stored>> waiting = new ArrayList<>();
            for (SendRequest r : List.of(send("s-1"), send("s-2"))) {
                waiting.add(CompletableFuture.supplyAsync(() -> intake.send(1, r), Thread::startVirtualThread));
                while (intake.queued() < waiting.size()) Thread.onSpinWait(); // one at a time: a known order
            }

            // three in intake: one being stored, two waiting
            assertThatThrownBy(() -> intake.send(1, send("s-3"))).isInstanceOf(IntakeSaturatedException.class);
            waiting.add(CompletableFuture.supplyAsync(() -> intake.send(1, high("h-1")), Thread::startVirtualThread));
            while (intake.queued() < 3) Thread.onSpinWait();
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS).replay()).isFalse();
            for (CompletableFuture<NotificationStore.Stored> w : waiting) assertThat(w.get(10, TimeUnit.SECONDS).replay()).isFalse();
        }
        // the refused send stored nothing; the HIGH one, last to come, was stored right after the one in progress
        assertThat(store.rows.keySet()).containsExactly("1/s-0", "1/h-1", "1/s-1", "1/s-2");
    }

    private static SendRequest high(String eventId) {
        return new SendRequest(eventId, null, List.of(new Target.Email("ada@example.com")), null, null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), null, io.herald.core.model.Priority.HIGH, null, null);
    }

    @Test
    void aRefusedSendIsThrownToItsCallerWithItsOwnException() {
        try (SingleSendIntake intake = SingleSendIntake.grouped(sends, 2, 100, Duration.ZERO)) {
            assertThatThrownBy(() -> intake.send(1, send("late", clock.instant().minusSeconds(1))))
                    .isInstanceOf(InvalidSendException.class).hasMessageContaining("already past");
            assertThat(intake.send(1, send("fine")).replay()).isFalse();
        }
    }

    @Test
    void theSameEventIdTwiceInOneGroupIsStoredOnceAndTheLaterCallIsItsReplay() {
        List<Object> answers = sends.sendEach(List.of(single(1, "d-1"), single(1, "d-2"), single(1, "d-1")));

        NotificationStore.Stored first = (NotificationStore.Stored) answers.get(0);
        NotificationStore.Stored again = (NotificationStore.Stored) answers.get(2);
        assertThat(first.replay()).isFalse();
        assertThat(((NotificationStore.Stored) answers.get(1)).replay()).isFalse();
        assertThat(again).isEqualTo(new NotificationStore.Stored(first.receipt(), true));
        assertThat(store.rows).containsOnlyKeys("1/d-1", "1/d-2");
    }

    @Test
    void anAppWhoseTransactionFailsFailsOnlyItsOwnSends() {
        store.failingApp = 2;

        List<Object> answers = sends.sendEach(List.of(single(2, "a-1"), single(1, "a-1"), single(2, "a-2")));

        assertThat(answers.get(0)).isInstanceOf(IllegalStateException.class);
        assertThat(answers.get(2)).isSameAs(answers.get(0));
        assertThat(answers.get(1)).isInstanceOf(NotificationStore.Stored.class);
        assertThat(store.rows).containsOnlyKeys("1/a-1");
    }

    @Test
    void anInvalidSendInAGroupIsRefusedAloneAndTheOthersAreStored() {
        List<Object> answers = sends.sendEach(List.of(single(1, "v-1"),
                new SingleSendIntake.Single(1, send("v-2", clock.instant().minusSeconds(1))), single(1, "v-3")));

        assertThat(answers.get(1)).isInstanceOf(InvalidSendException.class);
        assertThat(store.rows).containsOnlyKeys("1/v-1", "1/v-3");
    }

    private static SingleSendIntake.Single single(long appId, String eventId) {
        return new SingleSendIntake.Single(appId, send(eventId));
    }

    /** Receipts by app and eventId with the unique key's behaviour; records each transaction's size. */
    private static final class Store implements NotificationStore {
        final Map<String, SendReceipt> rows = new LinkedHashMap<>();
        final List<Integer> transactions = new ArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch hold;
        volatile long failingApp = -1;

        public synchronized Optional<SendReceipt> findReceipt(long appId, String eventId) {
            return Optional.ofNullable(rows.get(appId + "/" + eventId));
        }

        public List<Stored> acceptAll(List<Accepted> sends) {
            entered.countDown();
            CountDownLatch h = hold;
            hold = null;
            if (h != null) {
                try {
                    h.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                if (sends.getFirst().appId() == failingApp) throw new IllegalStateException("the database is gone");
                transactions.add(sends.size());
                List<Stored> out = new ArrayList<>();
                for (Accepted a : sends) {
                    SendReceipt earlier = rows.putIfAbsent(a.appId() + "/" + a.receipt().eventId(), a.receipt());
                    out.add(earlier != null ? new Stored(earlier, true) : new Stored(a.receipt(), false));
                }
                return out;
            }
        }
    }

    private static final class NoUsers implements UserDirectory {
        public Optional<UserProfile> find(long appId, String userId) {
            return Optional.empty();
        }

        public List<Target.Device> activeDevices(long appId, String userId) {
            return List.of();
        }
    }
}
