package io.herald.core.concurrent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Groups formed one at a time; a linger only while another group is being served. */
class GroupedCallsTest {

    /** Records each group; the group holding "hold" waits in the call until the test lets it go. */
    private static final class Recorder {
        final List<List<String>> groups = new CopyOnWriteArrayList<>();
        final CountDownLatch holding = new CountDownLatch(1), letGo = new CountDownLatch(1);

        List<String> call(List<String> inputs) {
            groups.add(List.copyOf(inputs));
            if (inputs.contains("hold")) {
                holding.countDown();
                try {
                    if (!letGo.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never let go");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return inputs.stream().map(String::toUpperCase).toList();
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a join ignores the default mode's interrupt
    void aGroupFormedWhileAnotherIsServedWaitsForCompany() throws Exception {
        Recorder r = new Recorder();
        // a linger far longer than the test: only a full group (2) can end it
        try (GroupedCalls<String, String> calls = new GroupedCalls<>("test-linger", 2, 2, Duration.ofHours(1), r::call)) {
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> calls.call("hold"));
            assertThat(r.holding.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> calls.call("b"));
            CompletableFuture<String> c = CompletableFuture.supplyAsync(() -> calls.call("c"));
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("B");
            assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo("C");
            assertThat(r.groups).as("b and c served together while the first group still held").hasSize(2)
                    .satisfies(g -> assertThat(g.get(1)).containsExactlyInAnyOrder("b", "c"));
            r.letGo.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("HOLD");
        }
        assertThat(r.groups.getFirst()).containsExactly("hold");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a join ignores the default mode's interrupt
    void anUrgentCallerJoinsTheNextGroupAheadOfThoseWaitingAndEqualsKeepTheirOrder() throws Exception {
        Recorder r = new Recorder();
        try (GroupedCalls<String, String> calls = new GroupedCalls<>("test-urgent", 1, 2, r::call);
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> held = callers.submit(() -> calls.call("hold"));
            assertThat(r.holding.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> answers = new ArrayList<>();
            for (String input : List.of("a", "b", "c", "d", "!u")) {
                int before = calls.queued();
                answers.add(callers.submit(() -> calls.call(input, input.startsWith("!"))));
                while (calls.queued() == before) Thread.onSpinWait(); // one at a time: a known order of arrival
            }
            r.letGo.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("HOLD");
            for (Future<String> a : answers) assertThat(a.get(10, TimeUnit.SECONDS)).isNotNull();
        }
        // the urgent caller came last and was served in the first group formed after the held one
        assertThat(r.groups).containsExactly(List.of("hold"), List.of("!u", "a"), List.of("b", "c"), List.of("d"));
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a join ignores the default mode's interrupt
    void aLoneCallerOnAnIdleStageNeverWaits() {
        Recorder r = new Recorder();
        try (GroupedCalls<String, String> calls = new GroupedCalls<>("test-idle", 2, 10, Duration.ofHours(1), r::call)) {
            // nothing else is being served: the hour-long linger does not apply
            assertThat(calls.call("alone")).isEqualTo("ALONE");
            assertThat(calls.call("again")).isEqualTo("AGAIN");
        }
        assertThat(r.groups).containsExactly(List.of("alone"), List.of("again"));
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a join ignores the default mode's interrupt
    void aCallerIsAnsweredOnlyOnceItsGroupNoLongerCountsAsServed() {
        // else the caller's next call, formed at once by another thread, saw a stage still serving and lingered for
        // company (an hour here: the idle-stage test above hung now and then)
        try (GroupedCalls<String, String> calls = new GroupedCalls<>("test-served", 2, 10, Duration.ofHours(1), new Recorder()::call)) {
            for (int i = 0; i < 2_000; i++) {
                assertThat(calls.call("x" + i)).isEqualTo("X" + i);
                assertThat(calls.serving()).as("groups served after call %d returned", i).isZero();
            }
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a join ignores the default mode's interrupt
    void withoutALingerEachCallerFindingAFreeThreadIsServedAlone() throws Exception {
        Recorder r = new Recorder();
        try (GroupedCalls<String, String> calls = new GroupedCalls<>("test-none", 2, 2, r::call)) {
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> calls.call("hold"));
            assertThat(r.holding.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(calls.call("b")).isEqualTo("B");
            assertThat(calls.call("c")).isEqualTo("C");
            r.letGo.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("HOLD");
        }
        assertThat(r.groups).containsExactly(List.of("hold"), List.of("b"), List.of("c"));
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a join ignores the default mode's interrupt
    void withoutThreadsEachCallIsServedAloneOnItsCallersThread() {
        List<Thread> servedOn = new CopyOnWriteArrayList<>();
        try (GroupedCalls<String, String> calls = new GroupedCalls<>("test-direct", 0, 10, inputs -> {
            servedOn.add(Thread.currentThread());
            return inputs.stream().map(String::toUpperCase).toList();
        })) {
            assertThat(calls.call("a")).isEqualTo("A");
        }
        assertThat(servedOn).containsExactly(Thread.currentThread());
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a join ignores the default mode's interrupt
    void anErrorInAGroupReachesItsCallersAndTheThreadServesTheNextGroup() {
        try (GroupedCalls<String, String> calls = new GroupedCalls<>("test-error", 1, 10, inputs -> {
            if (inputs.contains("boom")) throw new AssertionError("boom");
            return inputs.stream().map(String::toUpperCase).toList();
        })) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> calls.call("boom")).hasRootCauseInstanceOf(AssertionError.class);
            assertThat(calls.call("after")).isEqualTo("AFTER");
        }
    }
}
