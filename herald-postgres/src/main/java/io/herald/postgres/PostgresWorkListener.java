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
import java.util.function.BiConsumer;

/**
 * Wakes this process's workers when another process (an API node) commits new work: intake sends
 * {@code pg_notify('herald_work', 'QUEUE:PRIORITY')} (e.g. PUSH_IOS:HIGH) in its transaction, so the notification arrives exactly at
 * commit. Without it, workers in other processes find new work only at their next poll. One connection is held for
 * LISTEN; it is re-established after failures. Notifications are hints: losing one costs at most a poll interval.
 */
public final class PostgresWorkListener implements AutoCloseable {

    public static final String CHANNEL = "herald_work";
    private static final Logger log = LoggerFactory.getLogger(PostgresWorkListener.class);

    private final DataSource dataSource;
    private final BiConsumer<WorkQueue, Priority> onWork;
    private final Thread thread;
    private volatile boolean running = true;

    public PostgresWorkListener(DataSource dataSource, BiConsumer<WorkQueue, Priority> onWork) {
        this.dataSource = dataSource;
        this.onWork = onWork;
        this.thread = Thread.ofPlatform().daemon().name("herald-work-listener").start(this::run);
    }

    private void run() {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch == null) continue;
                    for (PGNotification n : batch) dispatch(n.getParameter());
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
