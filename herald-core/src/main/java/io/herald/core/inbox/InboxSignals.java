package io.herald.core.inbox;

/**
 * Tells this process that a user's inbox changed, whichever process made the change, so the streams it holds for
 * that user can look. Signals are hints, never the data: a stream reads what it has not sent from the
 * {@link InboxStore}, so a lost or repeated signal delays or repeats a look and loses nothing. Engines implement this
 * with what they have (PostgreSQL LISTEN/NOTIFY, Redis pub/sub, ...).
 */
public interface InboxSignals {

    /** Starts telling {@code listener}; one listener per process (the stream registry). */
    void listen(Listener listener);

    /** Called on the engine's listening thread: must return quickly and never block on a client. */
    interface Listener {

        /** The user has a new item with this seq. */
        void newItem(InboxUser user, long seq);

        /** The user's unread count may have changed (read, unread, archive, read-all). */
        void countChanged(InboxUser user);

        /** Signals may have been missed (the engine's connection was down): every stream should look again. */
        void mayHaveMissedSignals();
    }
}
