package io.herald.core.audience;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Campaign drafts and the broadcast each one became. */
public interface CampaignStore {

    void create(Campaign campaign);

    Optional<Campaign> find(UUID id);

    /** Newest first, after the (createdAt, id) of the last one shown (nulls: from the start). */
    List<Campaign> list(Instant beforeAt, UUID beforeId, int limit);

    /** Links the campaign to its broadcast. @return false when it already had one */
    boolean attach(UUID id, UUID broadcastId, Instant now);

    /** Engagement of the campaign's notifications: how many were DELIVERED, OPENED, CLICKED, CONVERTED (each counted once). */
    Map<String, Long> funnel(UUID id);

    /** The campaign's SUPPRESSED notifications by reason (opted out, rate limited, quiet hours, ...), most first. */
    Map<String, Long> suppressedByReason(UUID id);
}
