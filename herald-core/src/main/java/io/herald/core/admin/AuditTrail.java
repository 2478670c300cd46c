package io.herald.core.admin;

import java.time.Instant;
import java.util.List;

/** The append-only record of every operator change. */
public interface AuditTrail {

    /** One change; {@code diffJson} is a JSON object. */
    record Entry(long id, Instant at, String actor, String action, String entityType, String entityId, String diffJson) {
    }

    /** Nulls match everything; entries come oldest first, after {@code afterId}. */
    record Filter(String entityType, String entityId, String actor, Instant from, Instant to, Long afterId, int limit) {
    }

    /** Records one change. Call inside the transaction of the change, so there is no change without its entry. */
    void record(Instant at, String actor, String action, String entityType, String entityId, String diffJson);

    List<Entry> search(Filter filter);

    /** Newest first, for reading what changed lately; {@code afterId} then means "older than this id". */
    List<Entry> searchNewestFirst(Filter filter);
}
