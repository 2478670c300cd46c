package io.herald.core.audience;

import io.herald.core.dispatch.BulkYield;
import io.herald.core.intake.NewNotification;
import io.herald.core.intake.Recipient;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.model.Channel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Turns broadcasts into notifications, a page of recipients at a time, through {@link SendService}'s own planning.
 * Safe on several nodes at once: a broadcast is leased to one owner, and each page commits only while the lease
 * is still held. Memory stays a few pages whatever the audience size: the pages being committed and the next one,
 * read and planned meanwhile on another connection.
 */
public final class BroadcastFanout {

    /**
     * @param pageSize        recipients planned and committed together
     * @param commitsInFlight pages of one broadcast committing at once: PostgreSQL inserts a page on one core, so a
     *                        second page inserting meanwhile uses the other (they still commit in cursor order); one
     *                        while HIGH deliveries flow in this process
     */
    public record Settings(int pageSize, Duration lease, int commitsInFlight) {
        public Settings {
            if (commitsInFlight < 1) throw new IllegalArgumentException("commitsInFlight must be at least 1");
        }

        public Settings(int pageSize, Duration lease) {
            this(pageSize, lease, 1);
        }
    }

    private final BroadcastStore store;
    private final SendService sends;
    private final Clock clock;
    private final Settings settings;
    private final String owner;
    private final BulkYield bulkYield;

    public BroadcastFanout(BroadcastStore store, SendService sends, Clock clock, Settings settings, String owner) {
        this(store, sends, clock, settings, owner, BulkYield.NEVER);
    }

    /**
     * @param bulkYield rests before each page while HIGH deliveries in this process are strained, and keeps the fan-out
     *                  at one page committing at a time while any flow
     */
    public BroadcastFanout(BroadcastStore store, SendService sends, Clock clock, Settings settings, String owner, BulkYield bulkYield) {
        this.store = store;
        this.sends = sends;
        this.clock = clock;
        this.settings = settings;
        this.owner = owner;
        this.bulkYield = bulkYield;
    }

    /**
     * Claims one broadcast and fans it out to the end (or until its lease is lost or it is cancelled). An unthrottled
     * broadcast is pipelined: the next page is read and planned while up to {@link Settings#commitsInFlight} pages
     * commit. Each page's commit waits for the page before it and is refused when that one did not commit (see
     * {@link BroadcastStore#commitPage}), so the cursor and the crash semantics are those of one page at a time.
     * @return false when there was nothing to do
     */
    public boolean runOnce() {
        Optional<BroadcastStore.Broadcast> claimed = claim();
        if (claimed.isEmpty()) return false;
        BroadcastStore.Broadcast b = claimed.get();
        if (b.schedule().throttlePerSecond() != null) {
            Step step = new Step(b.cursor(), true);
            while (step.more() && yieldedToHigh()) step = page(b, step.cursor());
            return true;
        }
        Deque<FutureTask<Boolean>> committing = new ArrayDeque<>();
        FutureTask<Planned> next = null;
        CountDownLatch previousLocked = new CountDownLatch(0);
        try {
            Planned current = plan(b, b.cursor(), settings.pageSize());
            while (true) {
                Planned page = current;
                next = page.finished() ? null : started("herald-broadcast-next-page", () -> plan(b, page.last(), settings.pageSize()));
                // the oldest commits end before another starts: at most commitsInFlight pages are written at once, and
                // one while HIGH deliveries flow here (two pages inserting take both cores of a small box from them:
                // HIGH's p99 during a 1M broadcast 290 -> 751 ms, docs/benchmarks.md)
                int inFlight = bulkYield.highSeenWithin(HIGH_RECENTLY) ? 1 : settings.commitsInFlight();
                while (committing.size() >= inFlight) {
                    if (!await(committing.removeFirst())) return true;
                }
                if (!yieldedToHigh()) return true;
                Turn turn = new Turn(previousLocked);
                previousLocked = turn.held();
                committing.addLast(started("herald-broadcast-commit", () -> {
                    try {
                        return commit(b, page, null, turn).committed();
                    } finally {
                        turn.locked(); // whatever happened, the next page does not wait for this one forever
                    }
                }));
                if (next == null) {
                    while (!committing.isEmpty()) {
                        if (!await(committing.removeFirst())) return true;
                    }
                    return true;
                }
                current = await(next);
                next = null;
            }
        } finally {
            // never leave reads or writes of this broadcast running behind a failed or stopped fan-out: a page queued
            // behind a refused one stores nothing, and a planned page is dropped
            if (next != null) awaitQuietly(next);
            committing.forEach(BroadcastFanout::awaitQuietly);
        }
    }

    /** Where a fan-out stands after a page: the cursor, and whether to go on (false: finished, lease lost, cancelled). */
    public record Step(String cursor, boolean more) {
    }

    public Optional<BroadcastStore.Broadcast> claim() {
        return store.claim(owner, clock.instant(), settings.lease());
    }

    /**
     * Plans and commits the page after {@code cursor} (null: the first) of a broadcast this fan-out holds. A throttled
     * broadcast takes at most its per-second budget per page and is then left until a second later (durably, so the
     * pace holds across nodes and restarts).
     */
    public Step page(BroadcastStore.Broadcast b, String cursor) {
        Integer throttle = b.schedule().throttlePerSecond();
        int size = throttle == null ? settings.pageSize() : Math.min(throttle, MAX_THROTTLED_PAGE);
        Planned p = plan(b, cursor, size);
        Committed c = commit(b, p, throttle, BroadcastStore.Turn.ALONE);
        return c.committed() ? new Step(p.last(), c.more()) : new Step(p.cursor(), false);
    }

    /**
     * Whether a broadcast's send can go to devices: PUSH among its channels, or no channels named (the template's
     * defaults decide). Otherwise its pages skip the devices lookup, an index probe per recipient for devices nobody
     * would use (22 ms per page of 2,000 under EXPLAIN ANALYZE, docs/benchmarks.md).
     */
    static boolean reachesDevices(SendRequest send) {
        return send.channels() == null || send.channels().isEmpty() || send.channels().contains(Channel.PUSH);
    }

    /** A page read and planned, not yet committed. */
    private record Planned(String cursor, String last, int recipients, List<NewNotification> rows, boolean finished, Instant now) {
    }

    /** What a page's commit came to, and whether the fan-out goes straight on to the next page. */
    private record Committed(boolean committed, boolean more) {
    }

    private Planned plan(BroadcastStore.Broadcast b, String cursor, int size) {
        List<Recipient> page = store.page(b.appId(), b.audience(), cursor, size, reachesDevices(b.send()));
        Instant now = clock.instant();
        List<NewNotification> rows = sends.planBroadcastPage(b.appId(), b.send(), b.id(), page, now);
        String last = page.isEmpty() ? cursor : page.getLast().profile().userId();
        return new Planned(cursor, last, page.size(), rows, page.size() < size, now);
    }

    /** A page's place behind the page committing before it (see {@link BroadcastStore.Turn}). */
    private record Turn(CountDownLatch previous, CountDownLatch held) implements BroadcastStore.Turn {
        Turn(CountDownLatch previous) {
            this(previous, new CountDownLatch(1));
        }

        @Override
        public void awaitTurn() throws InterruptedException {
            previous.await();
        }

        @Override
        public void locked() {
            held.countDown();
        }
    }

    private Committed commit(BroadcastStore.Broadcast b, Planned p, Integer throttle, BroadcastStore.Turn turn) {
        Instant notBefore = throttle == null || p.finished() ? null : p.now().plusMillis(Math.max(1, p.recipients() * 1000L / throttle));
        var page = new BroadcastStore.Page(p.cursor(), p.last(), p.recipients(), p.rows(), p.finished());
        if (!store.commitPage(b, owner, page, p.now(), settings.lease(), notBefore, turn)) return new Committed(false, false);
        sends.announce(p.rows());
        return new Committed(true, !p.finished() && notBefore == null);
    }

    /** Rests while HIGH is strained ({@link BulkYield}). @return false when interrupted (stopping): the lease keeps the broadcast */
    private boolean yieldedToHigh() {
        try {
            bulkYield.beforeBulkStep();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static <T> FutureTask<T> started(String name, java.util.concurrent.Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().daemon().name(name).start(task);
        return task;
    }

    private static <T> T await(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a page was planned or committed", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static void awaitQuietly(FutureTask<?> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by await when the result is used; nothing to report when the fan-out already stopped before it
        }
    }

    /** HIGH deliveries claimed this recently keep the fan-out at one page committing at a time. */
    static final Duration HIGH_RECENTLY = Duration.ofSeconds(5);

    /** A throttled page never exceeds this, whatever the budget: the transaction stays short. */
    static final int MAX_THROTTLED_PAGE = 5000;
}
