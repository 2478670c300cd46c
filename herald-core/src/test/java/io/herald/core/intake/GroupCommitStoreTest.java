package io.herald.core.intake;

import io.herald.core.intake.NotificationStore.Accepted;
import io.herald.core.intake.NotificationStore.Stored;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitStoreTest {

    /** Records each transaction's size; the first one waits until released, so later requests pile up. */
    static final class SlowStore implements NotificationStore {
        final List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile RuntimeException fail;

        public Optional<SendReceipt> findReceipt(long appId, String eventId) {
            return Optional.empty();
        }

        public List<Stored> acceptAll(List<Accepted> sends) {
            if (groups.isEmpty()) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            groups.add(sends.size());
            if (fail != null) throw fail;
            return sends.stream().map(a -> new Stored(a.receipt(), false)).toList();
        }
    }

    private static Accepted send(String eventId) {
        return new Accepted(1, new SendReceipt(eventId, List.of()), List.of());
    }

    @Test
    void requestsArrivingTogetherShareOneTransactionAndEachGetsItsOwnAnswer() throws Exception {
        SlowStore slow = new SlowStore();
        try (GroupCommitStore store = new GroupCommitStore(slow, 1, 100);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<NotificationStore.Stored>>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> store.acceptAll(List.of(send("e0")))));
            assertThat(slow.entered.await(10, TimeUnit.SECONDS)).as("the first commit is under way, and held").isTrue();
            for (int i = 1; i < 21; i++) {
                String id = "e" + i;
                answers.add(pool.submit(() -> store.acceptAll(List.of(send(id)))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.queued() < 20) { // the other 20 queue up behind the held commit
                assertThat(System.nanoTime()).as("20 sends queued in time").isLessThan(deadline);
                Thread.yield();
            }
            slow.release.countDown();
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS).getFirst().receipt().eventId()).isEqualTo("e" + i);
            }
        }
        assertThat(slow.groups).as("the lone first send, then the 20 that waited, in one transaction").containsExactly(1, 20);
    }

    @Test
    void aFailedGroupFailsEveryCallerWithTheCause() {
        SlowStore slow = new SlowStore();
        slow.release.countDown();
        slow.fail = new IllegalStateException("database down");
        try (GroupCommitStore store = new GroupCommitStore(slow, 2, 100)) {
            assertThatThrownBy(() -> store.acceptAll(List.of(send("x")))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("database down");
        }
    }

    @Test
    void concurrentLookUpsOfEventIdsEachGetTheirOwnAppsAnswer() throws Exception {
        SendReceipt stored = new SendReceipt("seen", List.of());
        NotificationStore known = new NotificationStore() {
            public Optional<SendReceipt> findReceipt(long appId, String eventId) {
                return appId == 1 && eventId.equals("seen") ? Optional.of(stored) : Optional.empty();
            }

            public List<Stored> acceptAll(List<Accepted> sends) {
                throw new AssertionError("nothing is stored here");
            }
        };
        try (GroupCommitStore store = new GroupCommitStore(known, 2, 100);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<SendReceipt>>> seen = new ArrayList<>(), otherApp = new ArrayList<>(), unseen = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                seen.add(pool.submit(() -> store.findReceipt(1, "seen")));
                otherApp.add(pool.submit(() -> store.findReceipt(2, "seen")));
                String id = "new-" + i;
                unseen.add(pool.submit(() -> store.findReceipt(1, id)));
            }
            for (var f : seen) assertThat(f.get(10, TimeUnit.SECONDS)).contains(stored);
            for (var f : otherApp) assertThat(f.get(10, TimeUnit.SECONDS)).as("another app's eventIds are its own").isEmpty();
            for (var f : unseen) assertThat(f.get(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aSingleSendsLookUpJoinsTheLookUpsWaitingWithIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        List<Integer> queries = Collections.synchronizedList(new ArrayList<>());
        NotificationStore held = new NotificationStore() {
            public Optional<SendReceipt> findReceipt(long appId, String eventId) {
                queries.add(1);
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Optional.empty();
            }

            public java.util.Map<String, SendReceipt> findReceipts(long appId, java.util.Collection<String> eventIds) {
                queries.add(eventIds.size());
                return eventIds.contains("seen") ? java.util.Map.of("seen", new SendReceipt("seen", List.of())) : java.util.Map.of();
            }

            public List<Stored> acceptAll(List<Accepted> sends) {
                throw new AssertionError("nothing is stored here");
            }
        };
        try (GroupCommitStore store = new GroupCommitStore(held, 1, 100);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<java.util.Map<String, SendReceipt>> first = pool.submit(() -> store.findReceipts(1, List.of("e0")));
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("the first look-up is under way, and held").isTrue();
            List<Future<java.util.Map<String, SendReceipt>>> later = new ArrayList<>();
            for (int i = 1; i < 20; i++) {
                String id = "e" + i;
                later.add(pool.submit(() -> store.findReceipts(1, List.of(id))));
            }
            Future<java.util.Map<String, SendReceipt>> seen = pool.submit(() -> store.findReceipts(1, List.of("seen")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.lookupsQueued() < 20) {
                assertThat(System.nanoTime()).as("20 look-ups queued in time").isLessThan(deadline);
                Thread.yield();
            }
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
            for (var f : later) assertThat(f.get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(seen.get(10, TimeUnit.SECONDS)).containsOnlyKeys("seen");
        }
        assertThat(queries).as("the lone first look-up, then the 20 that waited in one query").containsExactly(1, 20);
    }
}
