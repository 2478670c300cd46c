package io.herald.core.inbox;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What an end user does with their inbox. Reading an unread item records OPENED on its notification (reading one
 * already read records nothing); opening its url records CLICKED and reads it.
 * "Read all" records nothing: the user cleared a badge, they did not open each message.
 */
public final class InboxService {

    public static final int MAX_PAGE = 500;

    private final InboxStore store;
    private final InboxTracking tracking;
    private final Clock clock;

    public InboxService(InboxStore store, InboxTracking tracking, Clock clock) {
        this.store = store;
        this.tracking = tracking;
        this.clock = clock;
    }

    /** One page of the feed; {@code nextBeforeSeq} is null on the last page. */
    public record Page(List<InboxItem> items, Long nextBeforeSeq, long unreadCount) {
    }

    public Page feed(InboxUser user, InboxFilter filter, Long beforeSeq, int limit) {
        int n = Math.clamp(limit, 1, MAX_PAGE);
        List<InboxItem> rows = store.page(user, filter, beforeSeq, n + 1);
        boolean more = rows.size() > n;
        List<InboxItem> items = more ? rows.subList(0, n) : rows;
        return new Page(List.copyOf(items), more ? items.getLast().seq() : null, store.unreadCount(user));
    }

    public long unreadCount(InboxUser user) {
        return store.unreadCount(user);
    }

    public Optional<InboxItem> act(InboxUser user, UUID id, InboxAction action) {
        Instant now = clock.instant();
        Optional<InboxStore.Marked> m = store.mark(user, id, action, now);
        m.filter(x -> x.changed() && action == InboxAction.READ)
                .ifPresent(x -> tracking.record(user.appId(), id, Engagement.OPENED, now));
        return m.map(InboxStore.Marked::item);
    }

    /** The user opened the item's url. */
    public Optional<InboxItem> click(InboxUser user, UUID id) {
        Instant now = clock.instant();
        Optional<InboxStore.Marked> m = store.mark(user, id, InboxAction.READ, now);
        m.ifPresent(x -> {
            if (x.changed()) tracking.record(user.appId(), id, Engagement.OPENED, now);
            tracking.record(user.appId(), id, Engagement.CLICKED, now);
        });
        return m.map(InboxStore.Marked::item);
    }

    public int readAll(InboxUser user) {
        return store.readAll(user, clock.instant());
    }
}
