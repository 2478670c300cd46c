package io.herald.postgres;

import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

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

    /** A lane's name as announced, and whether it already waits in {@link #waiting} to be announced. */
    private record Lane(String name, AtomicBoolean queued) {
    }

    private final DataSource relaxed;
    // every intake commit calls workAdded: a lock here was contended by the request threads (4% of their CPU samples at
    // 500 sends/s, JFR); now a lane already waiting costs one volatile read, and the first of a round one CAS
    private final Map<WorkQueue, Lane[]> lanes = new ConcurrentHashMap<>();
    private final Queue<Lane> waiting = new ConcurrentLinkedQueue<>(); // in announcement order: listeners hear commit order
    private final Thread thread;
    private volatile boolean running = true;

    /** @param relaxed connections with synchronous_commit off ({@link HeraldDatabase#relaxedDataSource()}) */
    public PostgresWorkAnnouncer(DataSource relaxed) {
        this.relaxed = relaxed;
        this.thread = Thread.ofPlatform().daemon().name("herald-work-announcer").start(this::run);
    }

    @Override
    public void workAdded(WorkQueue queue, Priority priority) {
        Lane lane = lanes.computeIfAbsent(queue, PostgresWorkAnnouncer::lanesOf)[priority.ordinal()];
        if (lane.queued().get() || !lane.queued().compareAndSet(false, true)) return;
        waiting.add(lane);
        LockSupport.unpark(thread);
    }

    private static Lane[] lanesOf(WorkQueue queue) {
        Priority[] priorities = Priority.values();
        Lane[] byPriority = new Lane[priorities.length];
        for (Priority p : priorities) byPriority[p.ordinal()] = new Lane(queue.name() + ":" + p.name(), new AtomicBoolean());
        return byPriority;
    }

    private void run() {
        while (running) {
            Lane first = waiting.poll();
            if (first == null) {
                LockSupport.park(this); // unparked by workAdded (a permit given before it parks is kept) or close
                continue;
            }
            List<Lane> round = new ArrayList<>();
            for (Lane l = first; l != null; l = waiting.poll()) round.add(l);
            // cleared before the statement: work added from now on is announced again (hints may repeat, never get lost)
            round.forEach(l -> l.queued().set(false));
            send(round.stream().map(Lane::name).toList());
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
