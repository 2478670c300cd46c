package io.herald.core.queue;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;

import java.time.Instant;
import java.util.UUID;

/**
 * A queue entry leased to one worker. {@code attempt} already counts this try.
 *
 * @param reclaimed true when an earlier worker's lease on it expired (it may have been sent already)
 * @param createdAt when the notification was accepted, for end-to-end latency
 */
public record ClaimedDelivery(UUID id, long appId, String eventId, String userId, Channel channel, Priority priority,
                              Target target, Content content, String category, Instant expiresAt, int attempt,
                              boolean reclaimed, Instant createdAt) {

    public OutboundMessage toMessage() {
        return new OutboundMessage(id, appId, eventId, channel, target, priority, content, category, expiresAt, attempt);
    }
}
