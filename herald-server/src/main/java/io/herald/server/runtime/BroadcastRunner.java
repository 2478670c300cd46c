package io.herald.server.runtime;

import io.herald.core.audience.BroadcastFanout;
import io.herald.core.audience.DigestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's audience loop: fans out broadcasts one after another and flushes digest windows as they close, then sleeps until woken by a new broadcast of
 * this process or until the poll interval passes (broadcasts accepted by other nodes, or left by a crashed one).
 */
public final class BroadcastRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BroadcastRunner.class);

    private final BroadcastFanout fanout;
    private final DigestService digests;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean open = true;

    public BroadcastRunner(BroadcastFanout fanout, DigestService digests, Duration pollInterval, boolean enabled) {
        this.fanout = fanout;
        this.digests = digests;
        this.pollInterval = pollInterval;
        this.thread = enabled ? Thread.ofPlatform().daemon().name("herald-broadcast-fanout").start(this::loop) : null;
    }

    /** A broadcast was accepted here: start on it now rather than at the next poll. */
    public void wakeUp() {
        wake.release();
    }

    private void loop() {
        while (open) {
            try {
                boolean worked = fanout.runOnce() | digests.flushDue() > 0;
                if (!worked) {
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database may be down: the broadcast's lease expires and it is taken up again, from its last page
                log.warn("broadcast fan-out failed, retrying after {}: {}", pollInterval, e.toString());
                try {
                    Thread.sleep(pollInterval);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
