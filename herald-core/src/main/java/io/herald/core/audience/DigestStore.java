package io.herald.core.audience;

import io.herald.core.intake.SendRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Open digest windows, one per app, user and digest key at a time. */
public interface DigestStore {

    /** Where a send went: the window (new or joined) and when it closes; replay when its eventId was used before. */
    record Appended(UUID digestId, Instant flushAt, int count, boolean replay) {
    }

    /** A window due to be flushed: the first send of it (template, channels...) and every send's data in order. */
    record DueDigest(UUID id, long appId, String userId, String key, SendRequest first, List<Map<String, Object>> events,
                     List<String> eventIds, Instant openedAt) {
    }

    /**
     * In one transaction: reserves the send's eventId and adds its data to the user's open window for the key, or opens
     * one closing {@code window} from now. A window already due takes nothing more: the send opens the next one.
     */
    Appended append(long appId, SendRequest send, String key, Duration window, Instant now);

    /** Leases up to {@code limit} windows due at {@code now} for {@code lease}. */
    List<DueDigest> claimDue(Instant now, Duration lease, int limit);

    void markFlushed(UUID id, String flushEventId, Instant now);
}
