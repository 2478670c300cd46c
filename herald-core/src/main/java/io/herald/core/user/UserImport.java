package io.herald.core.user;

import java.time.Instant;
import java.util.List;

/** Bulk user import: a whole batch in one transaction and a few multi-row statements, not one round trip per user. */
public interface UserImport {

    /**
     * Upserts every user with their devices and topic subscriptions (topics not yet known are created, named by
     * their key). userIds must be distinct within the batch.
     * @return for each user in order, true when it was created, false when it existed
     */
    List<Boolean> importUsers(long appId, List<ImportedUser> users, Instant now);
}
