package io.herald.client;

import java.time.Duration;

/**
 * How the client waits between retries. The default sleeps the calling thread; tests inject one that records the
 * delays and returns at once.
 */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration delay) throws InterruptedException;

    /** Sleeps the calling thread. */
    static Sleeper threadSleep() {
        return delay -> Thread.sleep(delay.toMillis());
    }
}
