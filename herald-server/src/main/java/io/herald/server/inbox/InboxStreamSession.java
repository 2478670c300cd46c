package io.herald.server.inbox;

import io.herald.core.inbox.InboxItem;
import io.herald.core.inbox.InboxStore;
import io.herald.core.inbox.InboxUser;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.concurrent.TimeUnit;

/**
 * One Server-Sent Events stream of one user, written by the request's own (virtual) thread until the client goes
 * away or the server stops. {@code message} events carry new items with their seq as event id; {@code count}
 * events carry the unread count whenever it changes. A stream resumed with {@code Last-Event-ID} first replays
 * the items after that id.
 */
public final class InboxStreamSession {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE = 100;
    /** Items committed out of seq order are still sent once: remember what was sent lately. */
    private static final int REMEMBERED = 1024;

    private final InboxStore store;
    private final InboxStreams streams;
    private final Duration heartbeat;
    private final int resumeLimit;

    public InboxStreamSession(InboxStore store, InboxStreams streams, Duration heartbeat, int resumeLimit) {
        this.store = store;
        this.streams = streams;
        this.heartbeat = heartbeat;
        this.resumeLimit = resumeLimit;
    }

    /** Opens the response once the stream is accepted (nothing is written before). */
    public interface ResponseOpener {
        OutputStream open() throws IOException;
    }

    /**
     * @param lastEventId the last seq the client saw, or null for a fresh stream (only what arrives from now on)
     * @throws InboxStreams.TooManyStreams before anything is written, when the user holds too many streams
     */
    public void run(InboxUser user, Long lastEventId, ResponseOpener response) throws IOException {
        InboxStreams.Subscriber sub = streams.subscribe(user);
        try {
            OutputStream out = response.open();
            State st = new State(out);
            // subscribed before reading where to start: an item committed in between is both hinted and after `last`
            st.last = lastEventId != null ? lastEventId : store.latestSeq(user);
            write(out, "retry: 3000\n\n");
            sendNew(user, st, resumeLimit);
            sendCount(user, st);
            while (!sub.closed) {
                Long hint = sub.hints.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (hint == null) {
                    write(out, ": keep-alive\n\n");
                    continue;
                }
                List<Long> hints = new ArrayList<>();
                hints.add(hint);
                sub.hints.drainTo(hints);
                if (hints.contains(InboxStreams.CLOSE)) break;
                sendNew(user, st, Integer.MAX_VALUE);
                for (long seq : hints) {
                    // an item with a lower seq than one already sent (its transaction committed later)
                    if (seq > 0 && seq <= st.last && !st.sent.contains(seq)) store.bySeq(user, seq).ifPresent(i -> send(st, i));
                }
                sendCount(user, st);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            streams.unsubscribe(sub);
        }
    }

    private static final class State {
        final OutputStream out;
        final SequencedSet<Long> sent = new LinkedHashSet<>();
        long last;
        long count = -1;

        State(OutputStream out) {
            this.out = out;
        }
    }

    private void sendNew(InboxUser user, State st, int max) {
        int sentNow = 0;
        while (sentNow < max) {
            List<InboxItem> items = store.since(user, st.last, Math.min(PAGE, max - sentNow));
            for (InboxItem i : items) {
                if (!st.sent.contains(i.seq())) send(st, i);
                st.last = Math.max(st.last, i.seq());
            }
            sentNow += items.size();
            if (items.size() < PAGE) return;
        }
    }

    private void send(State st, InboxItem item) {
        try {
            write(st.out, "event: message\nid: " + item.seq() + "\ndata: " + JSON.writeValueAsString(InboxJson.item(item)) + "\n\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        st.sent.add(item.seq());
        if (st.sent.size() > REMEMBERED) st.sent.removeFirst();
    }

    private void sendCount(InboxUser user, State st) throws IOException {
        long n = store.unreadCount(user);
        if (n == st.count) return;
        st.count = n;
        write(st.out, "event: count\ndata: " + JSON.writeValueAsString(Map.of("unreadCount", n)) + "\n\n");
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static final class UncheckedIOException extends RuntimeException {
        UncheckedIOException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
