package io.herald.core.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupedRateLimiterTest {

    private final InMemoryRateLimiter buckets = new InMemoryRateLimiter(new MutableClock(Instant.parse("2026-12-01T00:00:00Z")));

    @Test
    void concurrentAsksShareOneCallAndEachGetsItsOwnDecision() throws Exception {
        CountDownLatch firstCallEntered = new CountDownLatch(1);
        CountDownLatch releaseFirstCall = new CountDownLatch(1);
        List<Integer> callSizes = new CopyOnWriteArrayList<>();
        RateLimiter slowFirst = new RateLimiter() {
            public Decision acquire(String key, Limit limit, Duration maxWait) {
                return buckets.acquire(key, limit, maxWait);
            }

            public List<Decision> acquireAll(List<Request> requests) {
                callSizes.add(requests.size());
                if (callSizes.size() == 1) {
                    firstCallEntered.countDown();
                    await(releaseFirstCall);
                }
                return RateLimiter.super.acquireAll(requests);
            }
        };
        Limit threePerDay = Limit.perDay(3);
        try (GroupedRateLimiter grouped = new GroupedRateLimiter(slowFirst, 1, 100);
                ExecutorService pool = Executors.newFixedThreadPool(8)) {
            Future<RateLimiter.Decision> first = pool.submit(() -> grouped.tryConsume("other", threePerDay));
            assertThat(firstCallEntered.await(10, TimeUnit.SECONDS)).isTrue();
            // while the one decider is busy, six asks on one bucket wait and then go together
            List<Future<RateLimiter.Decision>> same = new ArrayList<>();
            for (int i = 0; i < 6; i++) same.add(pool.submit(() -> grouped.tryConsume("u-1", threePerDay)));
            while (queued(grouped) < 6) Thread.onSpinWait();
            releaseFirstCall.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(RateLimiter.Decision.CONSUMED);
            long granted = 0;
            for (Future<RateLimiter.Decision> f : same) if (f.get(10, TimeUnit.SECONDS).granted()) granted++;
            assertThat(granted).isEqualTo(3);
            assertThat(callSizes).containsExactly(1, 6);
        }
    }

    @Test
    void aFailedCallFailsEveryAskOfItsGroup() {
        RateLimiter down = (key, limit, maxWait) -> {
            throw new IllegalStateException("database down");
        };
        try (GroupedRateLimiter grouped = new GroupedRateLimiter(down, 1, 100)) {
            assertThatThrownBy(() -> grouped.tryConsume("u-1", Limit.perDay(3))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("database down");
        }
    }

    private static int queued(GroupedRateLimiter grouped) {
        return grouped.queued();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
