package io.herald.server.inbox;

import io.herald.core.inbox.InboxSignals;
import io.herald.core.inbox.InboxStore;
import io.herald.core.inbox.InboxUser;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open inbox streams of this process, by user. No thread is parked per stream and no request is held: once its
 * first events are written, a stream keeps only its connection ({@link InboxConnection}), so an open stream costs
 * the connection's socket buffers and a few small objects. Signals (any node's commits,
 * through {@link InboxSignals}) only mark the user's streams as having work; a virtual thread per wake-up then reads
 * what the stream has not sent and writes it. So the signal thread never waits on a slow client or the database.
 * One timer sends the keep-alive comments of all streams, a slice of them at a time.
 */
public final class InboxStreams implements InboxSignals.Listener, SmartLifecycle {

    /** The keep-alive period is cut into this many ticks; each tick pings one slice of the streams. */
    private static final int SLICES = 16;

    private final ConcurrentHashMap<InboxUser, Set<InboxStream>> byUser = new ConcurrentHashMap<>();
    private final InboxStore store;
    private final int maxPerUser;
    private final Duration heartbeat;
    private final int resumeLimit;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger tick = new AtomicInteger();
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService timer;
    private volatile boolean running;

    /**
     * @param maxPerUser  open streams one user may hold in this process (tabs, devices); more are refused
     * @param heartbeat   a keep-alive comment on every stream this often
     * @param resumeLimit most missed items a resumed stream replays
     */
    public InboxStreams(InboxStore store, int maxPerUser, Duration heartbeat, int resumeLimit) {
        this.store = store;
        this.maxPerUser = maxPerUser;
        this.heartbeat = heartbeat;
        this.resumeLimit = resumeLimit;
    }

    /** The user holds {@code maxPerUser} streams already. */
    public static final class TooManyStreams extends RuntimeException {
        TooManyStreams(int max) {
            super("this user has " + max + " inbox streams open already; close one (a tab or device) first");
        }
    }

    /** Opens the response once the stream is accepted (nothing is written before). */
    public interface ResponseOpener {
        OutputStream open() throws IOException;
    }

    /**
     * Opens a stream on this request: writes the 200 response and what a resumed stream missed, then hands the
     * connection over to the stream and returns; the stream lasts until the client goes away or the server stops.
     *
     * @param lastEventId the last seq the client saw, or null for a fresh stream
     * @throws TooManyStreams before anything is written, when the user holds too many streams
     * @throws IOException    the client went away while the stream opened
     */
    public void open(InboxUser user, Long lastEventId, HttpServletRequest req, HttpServletResponse res, ResponseOpener opener)
            throws IOException {
        InboxStream s = subscribe(user);
        boolean handedOver = false;
        try {
            // the body ends with the connection, so the events written on it after the hand-over need no framing
            res.setHeader("Connection", "close");
            s.greet(opener.open(), lastEventId, resumeLimit);
            req.upgrade(InboxConnection.class).attach(s);
            handedOver = true;
        } catch (ServletException e) {
            throw new IllegalStateException("this web server cannot hand a connection over (Servlet upgrade)", e);
        } finally {
            if (!handedOver) unsubscribe(s);
        }
    }

    private InboxStream subscribe(InboxUser user) {
        InboxStream s = new InboxStream(user, Math.floorMod(opened.getAndIncrement(), SLICES), store, writers, this::unsubscribe);
        boolean[] full = {false};
        byUser.compute(user, (u, set) -> {
            Set<InboxStream> subs = set != null ? set : ConcurrentHashMap.newKeySet();
            if (subs.size() >= maxPerUser) full[0] = true;
            else
                subs.add(s);
            return subs;
        });
        if (full[0]) throw new TooManyStreams(maxPerUser);
        if (!running) s.close();
        return s;
    }

    void unsubscribe(InboxStream s) {
        byUser.computeIfPresent(s.user, (u, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void newItem(InboxUser user, long seq) {
        Set<InboxStream> subs = byUser.get(user);
        if (subs != null) subs.forEach(s -> s.newItem(seq));
    }

    @Override
    public void countChanged(InboxUser user) {
        Set<InboxStream> subs = byUser.get(user);
        if (subs != null) subs.forEach(InboxStream::countChanged);
    }

    @Override
    public void mayHaveMissedSignals() {
        byUser.values().forEach(set -> set.forEach(InboxStream::countChanged));
    }

    /** Open streams in this process, for metrics. */
    public int open() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }

    private void keepAliveTick() {
        int slice = Math.floorMod(tick.getAndIncrement(), SLICES);
        byUser.values().forEach(set -> set.forEach(s -> {
            if (s.slice == slice) s.keepAlive();
        }));
    }

    @Override
    public synchronized void start() {
        long period = Math.max(1, heartbeat.toMillis() / SLICES);
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("herald-inbox-keepalive").factory());
        timer.scheduleAtFixedRate(this::keepAliveTick, period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Ends every stream before the web server's graceful shutdown waits for requests in flight. */
    @Override
    public synchronized void stop() {
        running = false;
        if (timer != null) timer.shutdownNow();
        byUser.values().forEach(set -> set.forEach(InboxStream::close));
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
