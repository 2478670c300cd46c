package io.herald.core.inbox;

/** The feed's {@code status} filter; without one the feed lists every item not archived. */
public enum InboxFilter {
    UNREAD, READ, ARCHIVED
}
