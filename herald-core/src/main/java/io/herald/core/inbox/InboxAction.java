package io.herald.core.inbox;

/** What an end user does to one item. */
public enum InboxAction {
    READ, UNREAD, ARCHIVE
}
