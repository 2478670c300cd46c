package io.herald.core.audience;

import io.herald.core.intake.InvalidSendException;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.model.Priority;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Digests: sends to one user with the same digest key inside a window become one delivery when it closes. The
 * delivery is a normal send (preferences, limits, template) whose data is the last send's data plus {@code events},
 * the list of every merged send's data, and {@code count}. Its eventId is derived from the window, so a flush
 * repeated after a crash is a replay, not a second delivery.
 */
public final class DigestService {

    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(7);

    private final DigestStore store;
    private final SendService sends;
    private final Clock clock;

    public DigestService(DigestStore store, SendService sends, Clock clock) {
        this.store = store;
        this.sends = sends;
        this.clock = clock;
    }

    /** What a digested send was answered: its window. */
    public record Digested(String eventId, DigestStore.Appended window) {
    }

    /**
     * @return the window the send joined; HIGH priority is never digested, the caller sends it at once instead
     *         (check {@link #digests(SendRequest)} first)
     */
    public Digested accept(long appId, SendRequest send, String key, Duration window) {
        if (send.userId() == null) throw new InvalidSendException("digest", "a digest collects sends to one user: give userId");
        if (send.sendAt() != null || send.deliverAt() != null)
            throw new InvalidSendException("digest", "a digested send goes out when its window closes: leave out sendAt and deliverAt");
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new InvalidSendException("digest.window", "must be between " + MIN_WINDOW + " and " + MAX_WINDOW);
        }
        // the template must render with what the flush will give it
        sends.checkBroadcast(appId, merged(send.forUser(null), List.of(send.data()), "check"));
        return new Digested(send.eventId(), store.append(appId, send, key, window, clock.instant()));
    }

    public static boolean digests(SendRequest send) {
        return send.priority() != Priority.HIGH;
    }

    /** Flushes every window due now. @return how many were flushed */
    public int flushDue() {
        int n = 0;
        for (DigestStore.DueDigest d : store.claimDue(clock.instant(), Duration.ofSeconds(30), 100)) {
            String eventId = "digest-" + d.id();
            SendRequest first = d.first();
            if (first.expiresAt() != null && !first.expiresAt().isAfter(clock.instant())) first = first.withoutExpiry();
            try {
                sends.send(d.appId(), merged(first, d.events(), eventId));
                store.markFlushed(d.id(), eventId, clock.instant());
            } catch (RuntimeException e) {
                // the template was changed or removed since: the window cannot be sent; say why rather than retry for ever
                if (e instanceof InvalidSendException || e instanceof io.herald.core.template.TemplateException) {
                    store.markFlushed(d.id(), "failed: " + e.getMessage(), clock.instant());
                } else {
                    throw e;
                }
            }
            n++;
        }
        return n;
    }

    private static SendRequest merged(SendRequest first, List<Map<String, Object>> events, String eventId) {
        Map<String, Object> data = new LinkedHashMap<>(events.isEmpty() ? Map.of() : events.getLast());
        data.put("events", new ArrayList<>(events));
        data.put("count", events.size());
        return new SendRequest(eventId, first.userId(), List.of(), first.channels(), first.templateKey(), first.templateVersion(), data,
                first.locale(), first.content(), first.category(), first.priority(), null, first.expiresAt());
    }
}
