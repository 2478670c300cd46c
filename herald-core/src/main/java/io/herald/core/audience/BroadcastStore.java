package io.herald.core.audience;

import io.herald.core.intake.NewNotification;
import io.herald.core.intake.Recipient;
import io.herald.core.intake.SendRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable broadcasts. A broadcast is a stored send with an audience and a keyset cursor (the last userId planned);
 * each page of notifications is committed in the same transaction that moves the cursor, under a lease that one
 * node holds at a time, so a fan-out interrupted anywhere resumes where its last commit left it.
 */
public interface BroadcastStore {

    /** A broadcast as stored; {@code send} is the request with no recipient. */
    record Broadcast(UUID id, long appId, String eventId, Audience audience, SendRequest send, BroadcastStatus status,
                     String cursor, long recipients, long planned, Instant createdAt, Instant finishedAt, Schedule schedule) {
    }

    /**
     * How a campaign's broadcast runs: not before {@code notBefore}, at most {@code throttlePerSecond} recipients a
     * second, its notifications tagged with {@code campaignId}. {@link #NONE} for an API broadcast.
     */
    record Schedule(UUID campaignId, Integer throttlePerSecond, Instant notBefore) {
        public static final Schedule NONE = new Schedule(null, null, null);
    }

    /** The answer to a create: the broadcast, flagged as a replay when the eventId was a broadcast before. */
    record Created(Broadcast broadcast, boolean replay) {
    }

    /** What a broadcast's notifications have come to, by status name. */
    record Progress(Broadcast broadcast, Map<String, Long> byStatus) {
    }

    /**
     * Stores a new broadcast (and reserves its eventId like any send).
     * @throws EventIdTakenException when a single send already used the eventId
     */
    default Created create(long appId, UUID id, Audience audience, SendRequest send, Instant now) {
        return create(appId, id, audience, send, now, Schedule.NONE);
    }

    Created create(long appId, UUID id, Audience audience, SendRequest send, Instant now, Schedule schedule);

    /** Pauses (FANNING_OUT to PAUSED) or resumes (PAUSED to FANNING_OUT). @return false when it was not in {@code from} */
    boolean move(long appId, UUID id, BroadcastStatus from, BroadcastStatus to, Instant now);

    /** Leases the oldest broadcast fanning out, due (not before its start) and with a free or expired lease, for this owner. */
    Optional<Broadcast> claim(String owner, Instant now, Duration lease);

    /**
     * Up to {@code limit} recipients after {@code afterUserId} (null: from the start), ordered by userId, with their
     * active devices when {@code withDevices} (else {@link Recipient#devices()} is null: not loaded).
     */
    List<Recipient> page(long appId, Audience audience, String afterUserId, int limit, boolean withDevices);

    /**
     * A page of a broadcast ready to commit: the recipients after the cursor {@code after} (null: from the start) up to
     * and including {@code last}, and their notifications; {@code finished} when it is the audience's last page.
     */
    record Page(String after, String last, int recipients, List<NewNotification> notifications, boolean finished) {
    }

    /**
     * In one transaction: stores the page's notifications, moves the cursor from {@code page.after()} to
     * {@code page.last()}, renews the lease and, when the page is the last, completes the broadcast. With
     * {@code notBefore} (a throttled broadcast) it gives the lease up and is not claimed again before then. Nothing is
     * stored when the lease was lost, the broadcast was paused or cancelled meanwhile, or its cursor is no longer
     * {@code page.after()}: several pages may be committing at once, and each waits for the one before it, so pages
     * still commit in cursor order and a page whose predecessor did not commit stores nothing. @return false then
     */
    boolean commitPage(Broadcast broadcast, String owner, Page page, Instant now, Duration lease, Instant notBefore, Turn turn);

    /**
     * Where a page's commit lines up when several pages of a broadcast commit at once: after writing its rows it waits
     * for the page before it to hold the broadcast's row ({@link #awaitTurn}), then locks the row itself (and waits
     * there until that page commits or rolls back) and says so ({@link #locked}). Without it a page whose rows were
     * written first would find the cursor not yet at its start and be refused.
     */
    interface Turn {
        /** A single page at a time: nothing to wait for. */
        Turn ALONE = new Turn() {
            @Override
            public void awaitTurn() {
            }

            @Override
            public void locked() {
            }
        };

        /** Waits until the page before this one holds the broadcast's row, or has given up. */
        void awaitTurn() throws InterruptedException;

        /**
         * This page holds the broadcast's row. The fan-out also calls it when the commit ends, however it ended, so the
         * next page never waits for one that failed before taking the row.
         */
        void locked();
    }

    Optional<Progress> progress(long appId, UUID id);

    /**
     * Stops the fan-out and cancels the broadcast's notifications still waiting for a future time (not yet due).
     * @return the progress after cancelling; empty when there is no such broadcast
     */
    Optional<Progress> cancel(long appId, UUID id, Instant now);

    final class EventIdTakenException extends RuntimeException {
        public EventIdTakenException(String eventId) {
            super("eventId " + eventId + " was already used by a send that was not a broadcast");
        }
    }
}
