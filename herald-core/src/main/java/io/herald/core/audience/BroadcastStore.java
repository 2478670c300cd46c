package io.herald.core.audience;

import io.herald.core.intake.NewNotification;
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
                     String cursor, long recipients, long planned, Instant createdAt, Instant finishedAt) {
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
    Created create(long appId, UUID id, Audience audience, SendRequest send, Instant now);

    /** Leases the oldest broadcast still fanning out whose lease is free or expired, for this owner. */
    Optional<Broadcast> claim(String owner, Instant now, Duration lease);

    /** Up to {@code limit} recipients after {@code afterUserId} (null: from the start), ordered by userId. */
    List<Recipient> page(long appId, Audience audience, String afterUserId, int limit);

    /**
     * In one transaction: stores the notifications, moves the cursor to {@code lastUserId}, renews the lease and,
     * when {@code finished}, completes the broadcast. Nothing is stored when the lease was lost or the broadcast
     * cancelled meanwhile. @return false in that case
     */
    boolean commitPage(UUID id, String owner, String lastUserId, int recipients, List<NewNotification> notifications,
                       boolean finished, Instant now, Duration lease);

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
