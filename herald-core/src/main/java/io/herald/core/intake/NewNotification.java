package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.Target;

import java.time.Instant;
import java.util.UUID;

/**
 * A notification decided at intake, to be stored with its first history event and, unless it is already
 * terminal (suppressed, no recipient), its queue entry due at {@code dueAt}. broadcastId is set when a broadcast
 * (an audience send) planned it. {@code handoff} is set when a lane of this process takes it straight from intake
 * ({@link LaneHandoff}): it is stored already leased to that lane, SENDING.
 */
public record NewNotification(UUID id, long appId, String eventId, String userId, Channel channel, Priority priority,
                              String category, String templateKey, Integer templateVersion, Target target,
                              Content content, Status status, Reason reason, String detail, Instant dueAt,
                              Instant expiresAt, Instant createdAt, UUID broadcastId, Handoff handoff) {

    /** The lane that takes it from intake: its queue entry is stored leased to {@code owner} until {@code until}. */
    public record Handoff(String owner, Instant until) {
    }

    public NewNotification(UUID id, long appId, String eventId, String userId, Channel channel, Priority priority,
                           String category, String templateKey, Integer templateVersion, Target target, Content content,
                           Status status, Reason reason, String detail, Instant dueAt, Instant expiresAt, Instant createdAt,
                           UUID broadcastId) {
        this(id, appId, eventId, userId, channel, priority, category, templateKey, templateVersion, target, content, status,
                reason, detail, dueAt, expiresAt, createdAt, broadcastId, null);
    }

    public NewNotification(UUID id, long appId, String eventId, String userId, Channel channel, Priority priority,
                           String category, String templateKey, Integer templateVersion, Target target, Content content,
                           Status status, Reason reason, String detail, Instant dueAt, Instant expiresAt, Instant createdAt) {
        this(id, appId, eventId, userId, channel, priority, category, templateKey, templateVersion, target, content, status,
                reason, detail, dueAt, expiresAt, createdAt, null);
    }

    /** This notification, stored leased to a lane of this process (see {@link LaneHandoff}). */
    public NewNotification handedTo(String owner, Instant until) {
        return new NewNotification(id, appId, eventId, userId, channel, priority, category, templateKey, templateVersion, target,
                content, status, reason, detail, dueAt, expiresAt, createdAt, broadcastId, new Handoff(owner, until));
    }

    /** The delivery its lane starts after the intake commit: what a claim of it would have returned. */
    public io.herald.core.queue.ClaimedDelivery asClaimed() {
        return new io.herald.core.queue.ClaimedDelivery(id, appId, eventId, userId, channel, priority, target, content, category,
                expiresAt, 1, false, createdAt, handoff.owner(), 0, createdAt);
    }

    public boolean queued() {
        return !status.isTerminal();
    }

    public SendReceipt.Item receiptItem() {
        return new SendReceipt.Item(id, channel, target == null ? null : target.masked(), status, reason);
    }
}
