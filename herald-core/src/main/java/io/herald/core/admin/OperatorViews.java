package io.herald.core.admin;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Read models of the operator console that span apps: throughput, dead letters, a notification's stored content. */
public interface OperatorViews {

    record Minute(Instant minute, long sent, long failed) {
    }

    record DeadLetter(UUID id, String appKey, String eventId, String userId, Channel channel, String priority,
                      String targetMasked, String reason, String detail, int attempts, Instant deadLetteredAt) {
    }

    record ReasonCount(Channel channel, String reason, long count) {
    }

    /** Outcomes per minute from {@code since} to {@code now}, a row for every minute (zeros included). */
    List<Minute> throughput(Instant since, Instant now);

    /** How many dead letters there are per channel and reason. */
    List<ReasonCount> deadLetterCounts();

    /** Dead letters, newest first; channel and reason may be null (any). */
    default List<DeadLetter> deadLetters(Channel channel, String reason, int limit) {
        return deadLetters(channel, reason, null, null, limit);
    }

    /** Newest first; a page after another starts below the (deadLetteredAt, id) of the previous page's last row. */
    List<DeadLetter> deadLetters(Channel channel, String reason, Instant beforeAt, UUID beforeId, int limit);

    /** The content a notification was (or will be) sent with, as rendered at intake. */
    Optional<Content> content(long appId, UUID id);

    boolean isDeadLetter(UUID id);
}
