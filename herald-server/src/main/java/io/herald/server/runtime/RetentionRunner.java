package io.herald.server.runtime;

import io.herald.core.retention.NotificationRetention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs {@link NotificationRetention} on a timer in the scheduler process; a pass that fails is tried at the next tick. */
public final class RetentionRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionRunner.class);

    private final ScheduledExecutorService timer;
    private final AtomicBoolean failing = new AtomicBoolean();

    /** @param retention null: this process deletes nothing (retention off, or not the scheduler) */
    public RetentionRunner(NotificationRetention retention, Duration every) {
        if (retention == null) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("herald-retention").factory());
        timer.scheduleWithFixedDelay(() -> pass(retention), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pass(NotificationRetention retention) {
        try {
            NotificationRetention.Pass deleted = retention.runOnce();
            if (deleted.notifications() > 0 || deleted.audienceSends() > 0)
                log.info("retention: deleted {} settled notifications and {} finished broadcasts and digest windows from before {}",
                        deleted.notifications(), deleted.audienceSends(), retention.cutoff());
            if (failing.compareAndSet(true, false)) log.info("retention works again");
        } catch (RuntimeException e) {
            // the database may be down: said once, not every tick
            if (failing.compareAndSet(false, true)) log.warn("retention pass failed, retrying at the next tick: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
