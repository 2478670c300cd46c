package io.herald.postgres;

import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells workers in other processes that lanes got due work: {@code pg_notify('herald_work', 'QUEUE:PRIORITY')}, heard
 * by their {@link PostgresWorkListener}s. Called after the intake has committed, never inside its transaction: a
 * transaction that notifies holds PostgreSQL's one notify lock from its commit until its WAL is on disk, so with the
 * notify inside, every HIGH intake queued behind a broadcast page's commit (measured: the intake statement waiting on
 * {@code Lock:object} while the page's COMMIT waited on {@code WalSync}; docs/benchmarks.md). Here the notify is a
 * statement of its own on a connection that does not wait for the disk (synchronous_commit off), and one thread
 * coalesces what arrives meanwhile into one statement. Notifications are hints: one lost in a crash costs a worker
 * at most its poll interval.
 */
public final class PostgresWorkAnnouncer implements WorkNotifier, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresWorkAnnouncer.class);

    private final DataSource relaxed;
    private final Set<String> pending = new LinkedHashSet<>(); // in announcement order: listeners hear commit order
    private final Thread thread;
    private volatile boolean running = true;

    /** @param relaxed connections with synchronous_commit off ({@link HeraldDatabase#relaxedDataSource()}) */
    public PostgresWorkAnnouncer(DataSource relaxed) {
        this.relaxed = relaxed;
        this.thread = Thread.ofPlatform().daemon().name("herald-work-announcer").start(this::run);
    }

    @Override
    public void workAdded(WorkQueue queue, Priority priority) {
        synchronized (pending) {
            if (pending.add(queue.name() + ":" + priority.name())) pending.notifyAll();
        }
    }

    private void run() {
        while (running) {
            List<String> lanes;
            synchronized (pending) {
                while (pending.isEmpty() && running) {
                    try {
                        pending.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                lanes = List.copyOf(pending);
                pending.clear();
            }
            if (!lanes.isEmpty()) send(lanes);
        }
    }

    private void send(List<String> lanes) {
        try (Connection c = relaxed.getConnection();
                PreparedStatement ps = c
                        .prepareStatement("SELECT pg_notify(?, lane) FROM unnest(?::text[]) WITH ORDINALITY AS t(lane, n) ORDER BY n")) {
            ps.setString(1, PostgresWorkListener.CHANNEL);
            ps.setArray(2, c.createArrayOf("text", lanes.toArray()));
            ps.execute();
        } catch (Exception e) {
            // a hint lost: the workers' next poll finds the work
            log.debug("could not announce work on {}: {}", lanes, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
