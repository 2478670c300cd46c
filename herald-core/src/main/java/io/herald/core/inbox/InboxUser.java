package io.herald.core.inbox;

/** An end user of an app, as an inbox token proves it: every inbox query is scoped to this app and user. */
public record InboxUser(long appId, String userId) {
}
