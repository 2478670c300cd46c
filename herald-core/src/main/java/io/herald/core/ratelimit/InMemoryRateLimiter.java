package io.herald.core.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets in this process's memory: right for one process (standalone, tests), wrong for several, which would each
 * allow the full limit. Thread-safe. Memory stays bounded by dropping full buckets (identical to fresh ones) when
 * more than {@code maxBuckets} exist; a bucket dropped just as another thread uses it can let one extra message
 * through, which is the price of no global lock.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    private final TimeMeter time;
    private final int maxBuckets;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    private record Entry(Bucket bucket, long capacity) {
    }

    public InMemoryRateLimiter(Clock clock) {
        this(clock, 100_000);
    }

    public InMemoryRateLimiter(Clock clock, int maxBuckets) {
        this.time = Bucket4jLimits.timeMeter(clock);
        this.maxBuckets = maxBuckets;
    }

    @Override
    public Decision acquire(String key, Limit limit, Duration maxWait) {
        Entry e = buckets.computeIfAbsent(key + "|" + limit.id(), k -> new Entry(Bucket.builder()
                .addLimit(Bucket4jLimits.configuration(limit).getBandwidths()[0])
                .withCustomTimePrecision(time).build(), limit.capacity()));
        Decision d = Bucket4jLimits.acquire(e.bucket(), maxWait);
        if (buckets.size() > maxBuckets) evictFull();
        return d;
    }

    /** Number of live buckets (for metrics and tests). */
    public int size() {
        return buckets.size();
    }

    private void evictFull() {
        buckets.entrySet().removeIf(en -> en.getValue().bucket().getAvailableTokens() >= en.getValue().capacity());
    }
}
