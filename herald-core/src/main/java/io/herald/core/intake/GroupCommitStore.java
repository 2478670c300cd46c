package io.herald.core.intake;

import io.herald.core.concurrent.GroupedCalls;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group commit for intake: single sends arriving together share one database transaction, so the cost of a
 * durable commit is paid once per group instead of once per request. Each caller still returns only after its
 * own send is committed (or gets the exception that prevented it), so "stored before 202" holds.
 *
 * <p>A few writer threads each take whatever is waiting, up to {@code maxGroup}: an idle server commits a lone
 * request at once (no added latency), a busy one forms larger groups by itself while the previous commit runs.
 * Duplicate eventIds inside one group are resolved by the store like any other (the first wins).
 *
 * <p>The look-up of a single send's eventId before planning (so a replay takes no rate-limit token) is grouped the
 * same way: concurrent look-ups share one query per app. Thread-safe.
 */
public final class GroupCommitStore implements NotificationStore, AutoCloseable {

    private record Lookup(long appId, String eventId) {
    }

    private final NotificationStore delegate;
    private final GroupedCalls<Accepted, Stored> writers;
    private final GroupedCalls<Lookup, Optional<SendReceipt>> lookups;

    public GroupCommitStore(NotificationStore delegate, int writers, int maxGroup) {
        this(delegate, writers, maxGroup, java.time.Duration.ZERO);
    }

    /** @param linger how long a group waits for company while another is in the database ({@link GroupedCalls}) */
    public GroupCommitStore(NotificationStore delegate, int writers, int maxGroup, java.time.Duration linger) {
        this.delegate = delegate;
        this.writers = new GroupedCalls<>("herald-intake-writer", writers, maxGroup, linger, delegate::acceptAll);
        this.lookups = new GroupedCalls<>("herald-intake-lookup", writers, maxGroup, linger, this::findMany);
    }

    @Override
    public Optional<SendReceipt> findReceipt(long appId, String eventId) {
        return lookups.call(new Lookup(appId, eventId));
    }

    private List<Optional<SendReceipt>> findMany(List<Lookup> asks) {
        if (asks.size() == 1) return List.of(delegate.findReceipt(asks.getFirst().appId(), asks.getFirst().eventId()));
        Map<Long, List<String>> byApp = new HashMap<>();
        for (Lookup l : asks) byApp.computeIfAbsent(l.appId(), a -> new java.util.ArrayList<>()).add(l.eventId());
        Map<Long, Map<String, SendReceipt>> found = new HashMap<>();
        byApp.forEach((app, events) -> found.put(app, delegate.findReceipts(app, events)));
        return asks.stream().map(l -> Optional.ofNullable(found.get(l.appId()).get(l.eventId()))).toList();
    }

    /** A single send's look-up joins the group; a batch's look-up is one query of its own already. */
    @Override
    public java.util.Map<String, SendReceipt> findReceipts(long appId, java.util.Collection<String> eventIds) {
        if (eventIds.size() != 1) return delegate.findReceipts(appId, eventIds);
        String eventId = eventIds.iterator().next();
        return findReceipt(appId, eventId).map(r -> Map.of(eventId, r)).orElse(Map.of());
    }

    @Override
    public List<Stored> acceptAll(List<Accepted> sends) {
        // a batch request is already one transaction of its own
        return sends.size() == 1 ? List.of(writers.call(sends.getFirst())) : delegate.acceptAll(sends);
    }

    /** Single sends' look-ups waiting for a thread (not counting the group being served). */
    int lookupsQueued() {
        return lookups.queued();
    }

    /** Single sends waiting for a writer (not counting the group being committed). */
    int queued() {
        return writers.queued();
    }

    @Override
    public void close() {
        writers.close();
        lookups.close();
    }
}
