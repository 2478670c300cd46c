package io.herald.server.runtime;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.LaneSettings;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A stop closes the queues' dispatchers side by side: each waits for its lanes' current claim, and those waits must not add up. */
class DispatchRuntimeStopTest {

    /** Claims find nothing; while {@code holdWhile} is true a claim does not return (a long poll, as on Kafka). */
    static final class HoldingQueue implements DeliveryQueue {
        final CountDownLatch claiming;
        final BooleanSupplier holdWhile;

        HoldingQueue(int lanes, BooleanSupplier holdWhile) {
            this.claiming = new CountDownLatch(lanes);
            this.holdWhile = holdWhile;
        }

        @Override
        public List<ClaimedDelivery> claim(WorkQueue queue, Priority priority, int max, Duration lease, String owner, Instant now) {
            claiming.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (holdWhile.getAsBoolean() && System.nanoTime() < deadline) LockSupport.parkNanos(1_000_000);
            return List.of();
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

    private static ChannelDispatcher dispatcher(Channel channel, DeliveryQueue queue) {
        LaneSettings settings = new LaneSettings(4, 10, Duration.ofSeconds(60), Duration.ofMinutes(10), RetryPolicy.DEFAULT,
                Duration.ofMinutes(10));
        return new ChannelDispatcher(WorkQueue.of(channel).getFirst(), settings, queue, null, DispatchListener.NONE, Clock.systemUTC(),
                "test-owner");
    }

    private static boolean lanesAlive(WorkQueue queue) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("herald-" + queue + "-") && !t.getName().endsWith("-writer"));
    }

    @Test
    void aStopDoesNotCloseOneQueueAfterAnother() throws Exception {
        WorkQueue email = WorkQueue.of(Channel.EMAIL).getFirst();
        int lanes = Priority.values().length;
        // SMS's lanes are in a claim that lasts until the stop has begun and EMAIL's lanes have ended: closed one after
        // another (SMS first), SMS's close waits out its lanes' 10-s join bound, three times, before EMAIL's begins
        AtomicBoolean stopping = new AtomicBoolean();
        HoldingQueue smsQueue = new HoldingQueue(lanes, () -> !stopping.get() || lanesAlive(email));
        HoldingQueue emailQueue = new HoldingQueue(lanes, () -> false);
        ChannelDispatcher sms = dispatcher(Channel.SMS, smsQueue), emailDispatcher = dispatcher(Channel.EMAIL, emailQueue);
        DispatchRuntime runtime = new DispatchRuntime(List.of(sms, emailDispatcher), emailQueue, false, Duration.ofSeconds(1),
                Clock.systemUTC());
        runtime.start();
        assertThat(smsQueue.claiming.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(emailQueue.claiming.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(lanesAlive(email)).as("EMAIL's lanes wait for work").isTrue();

        stopping.set(true);
        CompletableFuture.runAsync(runtime::stop).get(8, TimeUnit.SECONDS);
        assertThat(lanesAlive(email)).isFalse();
        assertThat(runtime.isRunning()).isFalse();
    }
}
