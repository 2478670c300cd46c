package io.herald.core.cache;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ReadCacheTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ReadCache<String, String> cache = new ReadCache<>(Duration.ofSeconds(5), 100, nanos::get);

    @Test
    void servesTheLoadedValueUntilTheTtlThenLoadsAgain() {
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
        assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    }

    @Test
    void aZeroTtlCachesNothing() {
        ReadCache<String, String> off = new ReadCache<>(Duration.ZERO, 100, nanos::get);
        AtomicInteger loads = new AtomicInteger();
        off.get("k", k -> "v" + loads.incrementAndGet());
        assertThat(off.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v2");
        assertThat(off.size()).isZero();
    }

    @Test
    void staysWithinItsBound() {
        ReadCache<Integer, Integer> small = new ReadCache<>(Duration.ofSeconds(5), 10, nanos::get);
        for (int i = 0; i < 1_000; i++) small.get(i, k -> k);
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void aReadUnderWayDuringAnInvalidationDoesNotPutItsStaleValueBack() throws Exception {
        assertStaleLoadIsDropped(c -> c.invalidate("k"));
    }

    @Test
    void aReadUnderWayDuringAWideInvalidationDoesNotPutItsStaleValueBack() throws Exception {
        assertStaleLoadIsDropped(c -> c.invalidateIf(k -> k.startsWith("k")));
    }

    /** The race: the reader loads "old", the writer stores "new" and invalidates, then the reader puts. */
    private void assertStaleLoadIsDropped(Consumer<ReadCache<String, String>> invalidation) throws Exception {
        AtomicReference<String> database = new AtomicReference<>("old");
        CountDownLatch loaded = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> cache.get("k", k -> {
            String value = database.get();
            loaded.countDown();
            await(invalidated); // the write and its invalidation happen here, before the reader puts
            return value;
        }));
        assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();
        database.set("new");
        invalidation.accept(cache);
        invalidated.countDown();
        assertThat(reader.get(10, TimeUnit.SECONDS)).as("the reader itself saw the old value").isEqualTo("old");

        assertThat(cache.getIfPresent("k")).as("its stale value was not kept").isNull();
        assertThat(cache.get("k", k -> database.get())).isEqualTo("new");
    }

    @Test
    void anInvalidationOfAnotherKeyCostsAtMostAMiss() {
        long stamp = cache.stamp("a");
        cache.invalidate("b");
        cache.put("a", "value", stamp);
        // whether a and b share a counter or not, a later read is correct
        assertThat(cache.get("a", k -> "value")).isEqualTo("value");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
