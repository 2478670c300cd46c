package io.herald.postgres;

import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Wakes this process's workers when another process (an API node) commits new work: right after the commit, that
 * node's {@link PostgresWorkAnnouncer} sends {@code pg_notify('herald_work', 'QUEUE:PRIORITY')} (e.g. PUSH_IOS:HIGH). Without it, workers in other processes find new work only at their next poll. One connection is held for
 * LISTEN; it is re-established after failures. Notifications are hints: losing one costs at most a poll interval.
 * The same connection listens to other channels given to it (the inbox's {@code herald_inbox}); their handlers also
 * hear {@link #RECONNECTED} after a reconnect, so they can look for what was announced while the connection was down.
 */
public final class PostgresWorkListener implements AutoCloseable {

    public static final String CHANNEL = "herald_work";
    private static final Logger log = LoggerFactory.getLogger(PostgresWorkListener.class);

    /** Given to the handlers of other channels after the connection was re-established. */
    public static final String RECONNECTED = "";

    private final DataSource dataSource;
    private final BiConsumer<WorkQueue, Priority> onWork;
    private final Map<String, Consumer<String>> others;
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);

    public PostgresWorkListener(DataSource dataSource, BiConsumer<WorkQueue, Priority> onWork) {
        this(dataSource, onWork, Map.of());
    }

    /** @param onWork null when this process runs no workers; {@code others}: channel name to payload handler */
    public PostgresWorkListener(DataSource dataSource, BiConsumer<WorkQueue, Priority> onWork, Map<String, Consumer<String>> others) {
        this.dataSource = dataSource;
        this.onWork = onWork;
        this.others = Map.copyOf(others);
        this.thread = Thread.ofPlatform().daemon().name("herald-work-listener").start(this::run);
    }

    private void run() {
        boolean first = true;
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                if (onWork != null) s.execute("LISTEN " + CHANNEL);
                for (String other : others.keySet()) s.execute("LISTEN " + other);
                listening.countDown();
                if (!first) others.values().forEach(h -> h.accept(RECONNECTED));
                first = false;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch == null) continue;
                    for (PGNotification n : batch) {
                        Consumer<String> other = others.get(n.getName());
                        if (other != null) other.accept(n.getParameter());
                        else if (onWork != null) dispatch(n.getParameter());
                    }
                }
            } catch (Exception e) {
                if (!running) return;
                log.debug("work listener reconnecting: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Waits until the first LISTEN is in place: a notification committed before then is not delivered (PostgreSQL
     * does not queue them for later listeners). True when listening, false when {@code max} passed first.
     */
    public boolean awaitListening(java.time.Duration max) throws InterruptedException {
        return listening.await(max.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void dispatch(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) return;
        try {
            Priority priority = Priority.valueOf(payload.substring(colon + 1));
            // a channel name (from an older version) rings all of its queues
            for (WorkQueue q : WorkQueue.select(payload.substring(0, colon))) onWork.accept(q, priority);
        } catch (IllegalArgumentException ignored) {
            // a payload from a newer version: the next poll finds the work anyway
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
