package io.herald.core.dispatch;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.core.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An idle lane looks for work less and less often, and a ring makes it look at once and start over. */
class IdleLaneBackoffTest {

    /** A queue with nothing in it that records when the HIGH lane looked, and opens a latch after N looks. */
    static class EmptyQueue implements DeliveryQueue {
        final List<Long> looks = new CopyOnWriteArrayList<>();
        volatile CountDownLatch next = new CountDownLatch(1);

        @Override
        public List<ClaimedDelivery> claim(WorkQueue queue, Priority priority, int max, Duration lease, String owner, Instant now) {
            if (priority == Priority.HIGH) {
                looks.add(System.nanoTime());
                next.countDown();
            }
            return List.of();
        }

        /** Waits for the HIGH lane's look number {@code n} (1-based). */
        void awaitLooks(int n) throws InterruptedException {
            while (looks.size() < n) {
                next = new CountDownLatch(1);
                if (looks.size() >= n) break;
                assertThat(next.await(30, TimeUnit.SECONDS)).as("look %d", n).isTrue();
            }
        }

        long gapMillis(int i) {
            return TimeUnit.NANOSECONDS.toMillis(looks.get(i) - looks.get(i - 1));
        }

        @Override
        public List<Transition> apply(List<Transition> transitions) {
            return List.of();
        }

        @Override
        public int expireOverdue(Instant now, int max) {
            return 0;
        }

        @Override
        public int promoteDue(Instant now, int max) {
            return 0;
        }

        @Override
        public int requeueDeadLetters(List<UUID> ids, Instant now) {
            return 0;
        }

        @Override
        public List<LaneStats> stats(Instant now) {
            return List.of();
        }
    }

    private static ChannelDispatcher dispatcher(EmptyQueue queue, Duration poll, Duration idle) {
        LaneSettings settings = new LaneSettings(4, 10, Duration.ofSeconds(60), poll, RetryPolicy.DEFAULT, idle);
        return new ChannelDispatcher(WorkQueue.of(Channel.EMAIL).getFirst(), settings, queue, null, DispatchListener.NONE,
                Clock.systemUTC(), "test-owner");
    }

    @Test
    void eachEmptyLookDoublesTheWaitUpToTheIdleInterval() throws Exception {
        EmptyQueue queue = new EmptyQueue();
        try (ChannelDispatcher d = dispatcher(queue, Duration.ofMillis(40), Duration.ofMillis(200))) {
            d.start();
            queue.awaitLooks(7);
        }
        // a wait is never shorter than asked (nobody rang): 40, 80, 160, then 200 (the cap) twice
        long[] atLeast = {40, 80, 160, 200, 200, 200};
        for (int i = 1; i < 7; i++)
            assertThat(queue.gapMillis(i)).as("wait before look %d", i + 1).isGreaterThanOrEqualTo(atLeast[i - 1] - 1);
    }

    @Test
    void aRingEndsTheWaitAndStartsTheBackoffOver() throws Exception {
        EmptyQueue queue = new EmptyQueue();
        try (ChannelDispatcher d = dispatcher(queue, Duration.ofMillis(100), Duration.ofSeconds(60))) {
            d.start();
            queue.awaitLooks(6); // waits so far 100, 200, 400, 800, 1600 ms: the next would be 3.2 s, then 6.4 s
            d.ring(Priority.HIGH);
            queue.awaitLooks(8);
        }
        // rung during the 3.2-s wait: looked at once, then waited the first interval again, not 6.4 s
        assertThat(queue.gapMillis(6)).as("the look the ring caused").isLessThan(3_000);
        assertThat(queue.gapMillis(7)).as("the wait after the ring").isGreaterThanOrEqualTo(99).isLessThan(3_000);
    }

    @Test
    void closingDoesNotWaitForIdleLanesToLookAgain() throws Exception {
        EmptyQueue queue = new EmptyQueue();
        ChannelDispatcher d = dispatcher(queue, Duration.ofMinutes(10), Duration.ofMinutes(10));
        d.start();
        queue.awaitLooks(1); // every lane found nothing and now waits ten minutes for a ring
        // without the ring at close, each of the three lanes' joins waits out its 10-s bound: 30 s
        CompletableFuture.runAsync(d::close).get(5, TimeUnit.SECONDS);
        assertThat(queue.looks).hasSize(1);
    }

    @Test
    void closingInterruptsAClaimThatWaitsForWork() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1), interrupted = new CountDownLatch(1);
        List<WorkQueue> interruptedQueues = new CopyOnWriteArrayList<>();
        EmptyQueue queue = new EmptyQueue() {
            @Override
            public List<ClaimedDelivery> claim(WorkQueue q, Priority p, int max, Duration lease, String owner, Instant now) {
                waiting.countDown();
                try { // as a Kafka poll does until a message comes or its timeout ends
                    interrupted.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }

            @Override
            public void interruptClaims(WorkQueue q) {
                interruptedQueues.add(q);
                interrupted.countDown();
            }
        };
        ChannelDispatcher d = dispatcher(queue, Duration.ofMillis(100), Duration.ofSeconds(1));
        d.start();
        assertThat(waiting.await(30, TimeUnit.SECONDS)).isTrue();
        // without the interrupt, each lane's join waits out its 10-s bound
        CompletableFuture.runAsync(d::close).get(5, TimeUnit.SECONDS);
        assertThat(interruptedQueues).containsExactly(WorkQueue.of(Channel.EMAIL).getFirst());
    }

    @Test
    void theIdleIntervalDefaultsToTenPollIntervalsAndIsNeverShorterThanOne() {
        assertThat(new LaneSettings(1, 1, Duration.ofSeconds(1), Duration.ofMillis(200), RetryPolicy.DEFAULT).idlePollInterval())
                .isEqualTo(Duration.ofSeconds(2));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(
                () -> new LaneSettings(1, 1, Duration.ofSeconds(1), Duration.ofMillis(200), RetryPolicy.DEFAULT, Duration.ofMillis(100)));
    }
}
