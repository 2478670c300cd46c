package io.herald.core.inbox;

import io.herald.core.model.Content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where inbox items live. Every change that a user's open streams should hear of (a new item, an unread count that
 * moved) is announced to every Herald process at commit, so a stream hears it whichever node holds it.
 */
public interface InboxStore {

    /**
     * Stores the item of an IN_APP notification, once: a retried delivery of the same notification finds it stored.
     *
     * @return the item's seq
     */
    long deliver(long appId, String userId, UUID notificationId, Content content, Instant at);

    /** Newest first, items with seq below {@code beforeSeq} (null: from the newest), at most {@code limit}. */
    List<InboxItem> page(InboxUser user, InboxFilter filter, Long beforeSeq, int limit);

    /** Items not archived with seq above {@code afterSeq}, oldest first: what a resumed stream missed. */
    List<InboxItem> since(InboxUser user, long afterSeq, int limit);

    Optional<InboxItem> bySeq(InboxUser user, long seq);

    /** The seq of the user's newest item, 0 when there is none: where a fresh stream starts. */
    long latestSeq(InboxUser user);

    /** Items neither read nor archived. */
    long unreadCount(InboxUser user);

    /** @return empty when the user has no such item; otherwise the item after the action and whether it changed */
    Optional<Marked> mark(InboxUser user, UUID id, InboxAction action, Instant at);

    /** Marks every unread item read. @return how many changed */
    int readAll(InboxUser user, Instant at);

    record Marked(InboxItem item, boolean changed) {
    }
}
