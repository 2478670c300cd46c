package io.herald.core.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The client apps registered with Herald (operators' view; secrets only as hashes). */
public interface AppAdmin {

    record AppRow(long id, String appKey, String secretHash, String name, List<String> scopes, Instant createdAt,
                  Instant revokedAt) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    /** @return the new app's id, or empty when the key exists already */
    Optional<Long> create(String appKey, String secretHash, String name, List<String> scopes, Instant now);

    Optional<AppRow> byKey(String appKey);

    List<AppRow> all();

    /** @return false when there is no active app of that key */
    boolean revoke(String appKey, Instant now);

    /** @return false when there is no active app of that key */
    boolean rotateSecret(String appKey, String newSecretHash);
}
