package io.herald.core.audience;

import io.herald.core.dispatch.BulkYield;
import io.herald.core.intake.NewNotification;
import io.herald.core.intake.Recipient;
import io.herald.core.intake.SendService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Turns broadcasts into notifications, a page of recipients at a time, through {@link SendService}'s own planning.
 * Safe on several nodes at once: a broadcast is leased to one owner, and each page commits only while the lease
 * is still held. Memory stays two pages whatever the audience size: the page being committed and the next one,
 * read and planned meanwhile on another connection.
 */
public final class BroadcastFanout {

    /** @param pageSize recipients planned and committed together */
    public record Settings(int pageSize, Duration lease) {
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

    /** @param bulkYield rests before each page while HIGH deliveries in this process are strained */
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
     * broadcast is pipelined: the next page is read and planned while the current one commits. Commits stay in cursor
     * order, one at a time, so the cursor and the crash semantics are those of {@link #page}.
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
        Planned current = plan(b, b.cursor(), settings.pageSize());
        while (true) {
            Planned committing = current;
            FutureTask<Planned> next = committing.finished()
                    ? null
                    : new FutureTask<>(() -> plan(b, committing.last(), settings.pageSize()));
            if (next != null) Thread.ofPlatform().daemon().name("herald-broadcast-next-page").start(next);
            boolean more;
            try {
                more = yieldedToHigh() && commit(b, committing, null).more();
            } finally {
                // never leave the next page's reads running behind a failed commit
                if (next != null) awaitQuietly(next);
            }
            if (!more) return true;
            current = await(next);
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
        return commit(b, plan(b, cursor, size), throttle);
    }

    /** A page read and planned, not yet committed. */
    private record Planned(String cursor, String last, int recipients, List<NewNotification> rows, boolean finished, Instant now) {
    }

    private Planned plan(BroadcastStore.Broadcast b, String cursor, int size) {
        List<Recipient> page = store.page(b.appId(), b.audience(), cursor, size);
        Instant now = clock.instant();
        List<NewNotification> rows = sends.planBroadcastPage(b.appId(), b.send(), b.id(), page, now);
        String last = page.isEmpty() ? cursor : page.getLast().profile().userId();
        return new Planned(cursor, last, page.size(), rows, page.size() < size, now);
    }

    private Step commit(BroadcastStore.Broadcast b, Planned p, Integer throttle) {
        Instant notBefore = throttle == null || p.finished() ? null : p.now().plusMillis(Math.max(1, p.recipients() * 1000L / throttle));
        if (!store.commitPage(b.id(), owner, p.last(), p.recipients(), p.rows(), p.finished(), p.now(), settings.lease(), notBefore)) {
            return new Step(p.cursor(), false);
        }
        sends.announce(p.rows());
        return new Step(p.last(), !p.finished() && notBefore == null);
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

    private static Planned await(FutureTask<Planned> next) {
        try {
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the next page was planned", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static void awaitQuietly(FutureTask<Planned> next) {
        try {
            next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by await when the page is used; nothing to report when the commit before it failed
        }
    }

    /** A throttled page never exceeds this, whatever the budget: the transaction stays short. */
    static final int MAX_THROTTLED_PAGE = 5000;
}
