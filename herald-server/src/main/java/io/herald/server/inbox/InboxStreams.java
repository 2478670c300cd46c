package io.herald.server.inbox;

import io.herald.core.inbox.InboxUser;
import io.herald.postgres.PostgresInboxStore;
import io.herald.postgres.PostgresWorkListener;
import org.springframework.context.SmartLifecycle;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open inbox streams of this process, by user. Announcements from PostgreSQL (any node's commits) only wake the
 * user's streams with a hint; each stream then reads what it has not sent yet. So the listener thread never waits
 * on a slow client or the database, and a stream's buffer is a small queue of hints: when it is full the hint is
 * dropped, which loses nothing because the stream reads everything after the last item it sent anyway.
 */
public final class InboxStreams implements SmartLifecycle {

    /** Hints besides a new item's seq. */
    static final long COUNT_CHANGED = -1;
    static final long CLOSE = -2;

    private final ConcurrentHashMap<InboxUser, Set<Subscriber>> byUser = new ConcurrentHashMap<>();
    private final int maxPerUser;
    private volatile boolean running;

    /** @param maxPerUser open streams one user may hold in this process (tabs, devices); more are refused */
    public InboxStreams(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** The user holds {@code maxPerUser} streams already. */
    public static final class TooManyStreams extends RuntimeException {
        TooManyStreams(int max) {
            super("this user has " + max + " inbox streams open already; close one (a tab or device) first");
        }
    }

    public static final class Subscriber {
        final InboxUser user;
        final ArrayBlockingQueue<Long> hints = new ArrayBlockingQueue<>(64);
        volatile boolean closed;

        Subscriber(InboxUser user) {
            this.user = user;
        }

        void hint(long h) {
            hints.offer(h);
        }

        void close() {
            closed = true;
            hints.offer(CLOSE);
        }
    }

    Subscriber subscribe(InboxUser user) {
        Subscriber s = new Subscriber(user);
        boolean[] full = {false};
        byUser.compute(user, (u, set) -> {
            Set<Subscriber> subs = set != null ? set : ConcurrentHashMap.newKeySet();
            if (subs.size() >= maxPerUser) full[0] = true;
            else subs.add(s);
            return subs;
        });
        if (full[0]) throw new TooManyStreams(maxPerUser);
        if (!running) s.close();
        return s;
    }

    void unsubscribe(Subscriber s) {
        byUser.computeIfPresent(s.user, (u, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    /** Handler of the {@code herald_inbox} channel. */
    public void onAnnouncement(String payload) {
        if (PostgresWorkListener.RECONNECTED.equals(payload)) {
            // announcements may have been missed while the connection was down: every stream looks again
            byUser.values().forEach(set -> set.forEach(s -> s.hint(COUNT_CHANGED)));
            return;
        }
        PostgresInboxStore.Announcement a = PostgresInboxStore.Announcement.parse(payload);
        if (a == null) return;
        Set<Subscriber> subs = byUser.get(new InboxUser(a.appId(), a.userId()));
        if (subs == null) return;
        long hint = a.newSeq() != null ? a.newSeq() : COUNT_CHANGED;
        subs.forEach(s -> s.hint(hint));
    }

    /** Open streams in this process, for metrics. */
    public int open() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream before the web server's graceful shutdown waits for requests in flight. */
    @Override
    public void stop() {
        running = false;
        byUser.values().forEach(set -> set.forEach(Subscriber::close));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 10;
    }
}
