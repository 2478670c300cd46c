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
 * (an audience send) planned it.
 */
public record NewNotification(UUID id, long appId, String eventId, String userId, Channel channel, Priority priority,
                              String category, String templateKey, Integer templateVersion, Target target,
                              Content content, Status status, Reason reason, String detail, Instant dueAt,
                              Instant expiresAt, Instant createdAt, UUID broadcastId) {

    public NewNotification(UUID id, long appId, String eventId, String userId, Channel channel, Priority priority,
                           String category, String templateKey, Integer templateVersion, Target target, Content content,
                           Status status, Reason reason, String detail, Instant dueAt, Instant expiresAt, Instant createdAt) {
        this(id, appId, eventId, userId, channel, priority, category, templateKey, templateVersion, target, content, status,
                reason, detail, dueAt, expiresAt, createdAt, null);
    }

    public boolean queued() {
        return !status.isTerminal();
    }

    public SendReceipt.Item receiptItem() {
        return new SendReceipt.Item(id, channel, target == null ? null : target.masked(), status, reason);
    }
}
