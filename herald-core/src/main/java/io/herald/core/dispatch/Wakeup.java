package io.herald.core.dispatch;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A doorbell: intake rings it after committing work, so an idle lane polls at once instead of after its interval. */
public final class Wakeup {

    private final Semaphore bell = new Semaphore(0);

    public void ring() {
        if (bell.availablePermits() == 0) bell.release();
    }

    /** Waits until rung or until the timeout; returns early if rung since the last wait. @return true if rung */
    public boolean await(Duration timeout) throws InterruptedException {
        if (!bell.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) return false;
        bell.drainPermits();
        return true;
    }
}
