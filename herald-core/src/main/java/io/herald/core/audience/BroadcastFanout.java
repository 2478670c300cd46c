package io.herald.core.audience;

import io.herald.core.intake.NewNotification;
import io.herald.core.intake.Recipient;
import io.herald.core.intake.SendService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns broadcasts into notifications, a page of recipients at a time, through {@link SendService}'s own planning.
 * Safe on several nodes at once: a broadcast is leased to one owner, and each page commits only while the lease
 * is still held. Memory stays one page whatever the audience size.
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

    public BroadcastFanout(BroadcastStore store, SendService sends, Clock clock, Settings settings, String owner) {
        this.store = store;
        this.sends = sends;
        this.clock = clock;
        this.settings = settings;
        this.owner = owner;
    }

    /**
     * Claims one broadcast and fans it out to the end (or until its lease is lost or it is cancelled).
     * @return false when there was nothing to do
     */
    public boolean runOnce() {
        Optional<BroadcastStore.Broadcast> claimed = claim();
        if (claimed.isEmpty()) return false;
        Step step = new Step(claimed.get().cursor(), true);
        while (step.more()) step = page(claimed.get(), step.cursor());
        return true;
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
        List<Recipient> page = store.page(b.appId(), b.audience(), cursor, size);
        Instant now = clock.instant();
        List<NewNotification> rows = sends.planBroadcastPage(b.appId(), b.send(), b.id(), page, now);
        String last = page.isEmpty() ? cursor : page.getLast().profile().userId();
        boolean finished = page.size() < size;
        Instant notBefore = throttle == null || finished ? null : now.plusMillis(Math.max(1, page.size() * 1000L / throttle));
        if (!store.commitPage(b.id(), owner, last, page.size(), rows, finished, now, settings.lease(), notBefore)) {
            return new Step(cursor, false);
        }
        sends.announce(rows);
        return new Step(last, !finished && notBefore == null);
    }

    /** A throttled page never exceeds this, whatever the budget: the transaction stays short. */
    static final int MAX_THROTTLED_PAGE = 5000;
}
