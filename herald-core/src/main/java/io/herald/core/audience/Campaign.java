package io.herald.core.audience;

import io.herald.core.intake.SendRequest;

import java.time.Instant;
import java.util.UUID;

/**
 * An operator's broadcast: drafted first, then scheduled, when it becomes a broadcast that starts at {@code sendAt}
 * (or at once) and fans out at most {@code throttlePerSecond} recipients a second. {@code send} has no recipient and
 * no sendAt; a local-time delivery ({@code deliverAt}) stays in it, per recipient.
 */
public record Campaign(UUID id, long appId, String name, Audience audience, SendRequest send, Instant sendAt,
                       Integer throttlePerSecond, UUID broadcastId, String createdBy, Instant createdAt, Instant updatedAt) {

    /** The eventId of the campaign's broadcast: scheduling twice (a retry, a race) finds the same broadcast. */
    public String eventId() {
        return "campaign-" + id;
    }
}
