package io.herald.server.runtime;

import io.herald.core.concurrent.PacedBatches;
import io.herald.core.ratelimit.ExpiredBuckets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Deletes rate-limit buckets that are full again, once a minute, so the table holds only users active lately. Paced:
 * after each batch it rests as long as the batch took, so it never takes more than half of one database backend. A
 * broadcast to a million users leaves a million buckets that all expire together; deleted back to back they were 11%
 * of PostgreSQL's samples during the next fan-out (docs/benchmarks.md) and slowed the HIGH lanes beside it.
 */
public final class BucketJanitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BucketJanitor.class);
    static final int BATCH = 5000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    public BucketJanitor(ExpiredBuckets limiter) {
        timer.scheduleWithFixedDelay(() -> sweep(limiter, System::nanoTime, TimeUnit.NANOSECONDS::sleep), 1, 1, TimeUnit.MINUTES);
    }

    /** One pass ({@link PacedBatches}). @return buckets deleted; 0 when a batch failed (the next pass picks up) */
    static long sweep(ExpiredBuckets limiter, LongSupplier nanoTime, PacedBatches.Pause pause) {
        try {
            return PacedBatches.run(() -> limiter.removeExpired(BATCH), BATCH, nanoTime, pause);
        } catch (RuntimeException e) {
            log.debug("rate-limit bucket cleanup skipped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
        return 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
