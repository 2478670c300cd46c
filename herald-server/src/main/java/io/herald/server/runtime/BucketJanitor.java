package io.herald.server.runtime;

import io.herald.core.ratelimit.ExpiredBuckets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Deletes rate-limit buckets that are full again, once a minute, so the table holds only users active lately. */
public final class BucketJanitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BucketJanitor.class);
    private static final int BATCH = 5000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    public BucketJanitor(ExpiredBuckets limiter) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n;
                do {
                    n = limiter.removeExpired(BATCH);
                } while (n == BATCH);
            } catch (RuntimeException e) {
                log.debug("rate-limit bucket cleanup skipped: {}", e.toString());
            }
        }, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
