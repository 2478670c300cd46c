package io.herald.core.inbox;

/** The tracking events an inbox records on the notification behind an item. */
public enum Engagement {
    OPENED, CLICKED
}
