package io.herald.server.engagement;

import io.herald.core.engagement.EngagementRollup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The background work of engagement on every node: folding history into analytics and the webhook outbox, and
 * sending due webhooks. Both are safe to run on many nodes at once (SKIP LOCKED), and both keep going while there
 * is a backlog instead of waiting for the next tick.
 */
public final class EngagementLoops implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngagementLoops.class);
    private static final int ROLLUP_BATCH = 5000;

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(3,
            Thread.ofPlatform().daemon().name("herald-engagement-", 0).factory());

    public EngagementLoops(EngagementRollup aggregator, Duration rollupInterval, WebhookSender sender, Duration pollInterval,
                           Runnable retention) {
        schedule("analytics rollup", () -> aggregator.runOnce(ROLLUP_BATCH), ROLLUP_BATCH, rollupInterval);
        schedule("webhook sender", sender::runOnce, WebhookSender.BATCH, pollInterval);
        schedule("webhook retention", () -> {
            retention.run();
            return 0;
        }, 1, Duration.ofHours(1));
    }

    private void schedule(String what, IntSupplier step, int fullBatch, Duration every) {
        var failing = new java.util.concurrent.atomic.AtomicBoolean();
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n;
                do {
                    n = step.getAsInt();
                } while (n >= fullBatch && !Thread.currentThread().isInterrupted());
                if (failing.compareAndSet(true, false)) log.info("{} works again", what);
            } catch (RuntimeException e) {
                // the database may be down: the work stays where it is and the next tick tries again; said once, not every tick
                if (failing.compareAndSet(false, true)) log.warn("{} failed, retrying every {}: {}", what, every, e.toString());
            }
        }, every.toMillis(), Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
