package io.herald.postgres;

import io.herald.core.inbox.InboxSignals;
import io.herald.core.inbox.InboxUser;

import java.util.function.Consumer;

/**
 * Inbox signals from the {@code herald_inbox} channel, which {@link PostgresInboxStore} notifies inside its
 * transactions: {@code m:<seq>:<appId>:<userId>} for a new item, {@code c:<appId>:<userId>} for a changed unread
 * count. The {@link PostgresWorkListener}'s connection listens to the channel and hands payloads to {@link #accept}.
 */
public final class PostgresInboxSignals implements InboxSignals, Consumer<String> {

    public static final String CHANNEL = PostgresInboxStore.CHANNEL;

    private volatile Listener listener;

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    /** A payload of the channel, or {@link PostgresWorkListener#RECONNECTED}. */
    @Override
    public void accept(String payload) {
        Listener l = listener;
        if (l == null) return;
        if (PostgresWorkListener.RECONNECTED.equals(payload)) {
            l.mayHaveMissedSignals();
            return;
        }
        try {
            if (payload.startsWith("m:")) {
                String[] p = payload.split(":", 4);
                l.newItem(new InboxUser(Long.parseLong(p[2]), p[3]), Long.parseLong(p[1]));
            } else if (payload.startsWith("c:")) {
                String[] p = payload.split(":", 3);
                l.countChanged(new InboxUser(Long.parseLong(p[1]), p[2]));
            }
        } catch (RuntimeException e) {
            // malformed or from a newer version: ignore (a hint only)
        }
    }
}
