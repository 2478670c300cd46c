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
 * @param target     null once the user was erased
 * @param reclaimed  true when an earlier worker's lease on it expired (it may have been sent already)
 * @param createdAt  when the notification was accepted, for end-to-end latency
 * @param leaseOwner the worker this claim leased it to
 * @param reclaims   how many times a worker's lease on it expired without an outcome, this claim included
 * @param dueSince   when it became due (its send time or deferral, acceptance, or an operator's requeue): the start
 *                   of its maximum age
 */
public record ClaimedDelivery(UUID id, long appId, String eventId, String userId, Channel channel, Priority priority,
                              Target target, Content content, String category, Instant expiresAt, int attempt,
                              boolean reclaimed, Instant createdAt, String leaseOwner, int reclaims, Instant dueSince) {

    public OutboundMessage toMessage() {
        return new OutboundMessage(id, appId, eventId, channel, target, priority, content, category, expiresAt, attempt);
    }

    public Lease lease() {
        return new Lease(leaseOwner, attempt);
    }
}
