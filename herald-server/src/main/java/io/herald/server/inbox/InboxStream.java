package io.herald.server.inbox;

import io.herald.core.inbox.InboxItem;
import io.herald.core.inbox.InboxStore;
import io.herald.core.inbox.InboxUser;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One open Server-Sent Events stream of one user. No thread waits on it: signals and keep-alive ticks mark work as
 * pending and hand the stream to the executor (a virtual thread per wake-up), and one thread at a time writes it.
 * {@code message} events carry new items with their seq as event id; {@code count} events the unread count when it
 * changed. What it sends is read from the store after the last item it sent, so a dropped signal loses nothing.
 */
final class InboxStream {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE = 100;
    /** Items committed out of seq order are still sent once: remember what was sent lately. */
    private static final int REMEMBERED = 1024;
    /** Out-of-order seqs kept between two wake-ups; past it they are dropped (the read after `last` still runs). */
    private static final int MAX_PENDING_SEQS = 64;
    private static final long[] NO_SEQS = new long[0];

    final InboxUser user;
    /** Which of the keep-alive timer's slices pings this stream. */
    final int slice;
    private final InboxStore store;
    private final Executor executor;
    private final Consumer<InboxStream> onEnd;

    // written only by the thread that holds `busy`
    private OutputStream out;
    /** Closes the connection; set at the hand-over, read by whoever ends the stream. */
    private volatile Runnable closer;
    private long last;
    private long count = -1;
    private final SequencedSet<Long> sent = new LinkedHashSet<>();

    // guarded by `this`
    private long[] pendingSeqs = NO_SEQS;
    private int pendingCount;
    private boolean lookAgain;
    private boolean keepAliveDue;
    private boolean closing;
    private boolean ended;
    /** Someone is writing the stream; the request thread holds it until the stream is opened. */
    private boolean busy = true;

    InboxStream(InboxUser user, int slice, InboxStore store, Executor executor, Consumer<InboxStream> onEnd) {
        this.user = user;
        this.slice = slice;
        this.store = store;
        this.executor = executor;
        this.onEnd = onEnd;
    }

    /**
     * On the request thread, after the stream is registered (so an item committed meanwhile is both signalled and
     * after {@code last}): sends what a resumed stream missed and the unread count.
     *
     * @param lastEventId the last seq the client saw, or null for a fresh stream (only what arrives from now on)
     */
    void greet(OutputStream out, Long lastEventId, int resumeLimit) throws IOException {
        this.out = out;
        last = lastEventId != null ? lastEventId : store.latestSeq(user);
        write("retry: 3000\n\n");
        try {
            sendNew(resumeLimit);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        sendCount();
        out.flush();
    }

    /** The request has ended and left the connection to the stream: from here on, wake-ups write it. */
    void handOver(OutputStream connection, Runnable closer) {
        this.out = connection;
        this.closer = closer;
        synchronized (this) {
            busy = false;
            if (hasWork()) schedule();
        }
    }

    synchronized void newItem(long seq) {
        if (pendingCount < MAX_PENDING_SEQS) {
            if (pendingCount == pendingSeqs.length) pendingSeqs = Arrays.copyOf(pendingSeqs, Math.max(4, pendingCount * 2));
            pendingSeqs[pendingCount++] = seq;
        }
        lookAgain = true;
        wake();
    }

    synchronized void countChanged() {
        lookAgain = true;
        wake();
    }

    synchronized void keepAlive() {
        keepAliveDue = true;
        wake();
    }

    /** Ends the stream (server stopping); the client reconnects elsewhere with Last-Event-ID. */
    synchronized void close() {
        closing = true;
        wake();
    }

    /** The client went away (or the connection broke): nothing more is written. */
    void clientGone() {
        end();
    }

    private void wake() {
        if (!busy && !ended) schedule();
    }

    private void schedule() {
        busy = true;
        executor.execute(this::pump);
    }

    private boolean hasWork() {
        return lookAgain || keepAliveDue || closing;
    }

    private void pump() {
        while (true) {
            long[] seqs;
            boolean look, ping;
            synchronized (this) {
                if (ended || !hasWork()) {
                    busy = false;
                    return;
                }
                if (closing) break;
                seqs = Arrays.copyOf(pendingSeqs, pendingCount);
                pendingCount = 0;
                look = lookAgain;
                ping = keepAliveDue;
                lookAgain = keepAliveDue = false;
            }
            try {
                if (look) {
                    sendNew(Integer.MAX_VALUE);
                    for (long seq : seqs) {
                        // an item with a lower seq than one already sent (its transaction committed later)
                        if (seq <= last && !sent.contains(seq)) store.bySeq(user, seq).ifPresent(this::send);
                    }
                    sendCount();
                } else if (ping) {
                    write(": keep-alive\n\n");
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                // the client went away, or the store failed: end the stream; the client resumes with Last-Event-ID
                break;
            }
        }
        end(); // still `busy`: an ended stream is never scheduled again
    }

    /** Marks the stream ended; true for the one caller that did, who then closes it. */
    private synchronized boolean markEnded() {
        if (ended) return false;
        ended = true;
        return true;
    }

    /** Not holding the lock: closing the connection may call back (the handler's destroy). */
    private void end() {
        if (!markEnded()) return;
        onEnd.accept(this);
        if (closer != null) closer.run();
    }

    private void sendNew(int max) throws IOException {
        int sentNow = 0;
        while (sentNow < max) {
            List<InboxItem> items = store.since(user, last, Math.min(PAGE, max - sentNow));
            for (InboxItem i : items) {
                if (!sent.contains(i.seq())) send(i);
                last = Math.max(last, i.seq());
            }
            sentNow += items.size();
            if (items.size() < PAGE) return;
        }
    }

    private void send(InboxItem item) {
        try {
            write("event: message\nid: " + item.seq() + "\ndata: " + JSON.writeValueAsString(InboxJson.item(item)) + "\n\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sent.add(item.seq());
        if (sent.size() > REMEMBERED) sent.removeFirst();
    }

    private void sendCount() throws IOException {
        long n = store.unreadCount(user);
        if (n == count) return;
        count = n;
        write("event: count\ndata: " + JSON.writeValueAsString(Map.of("unreadCount", n)) + "\n\n");
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
