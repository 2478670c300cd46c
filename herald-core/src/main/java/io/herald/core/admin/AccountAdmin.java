package io.herald.core.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Operator accounts (passwords only as hashes; roles by name). */
public interface AccountAdmin {

    record AccountRow(String username, String passwordHash, String role, Instant disabledAt, Instant createdAt) {
        public boolean active() {
            return disabledAt == null;
        }
    }

    /** @return false when the username is taken */
    boolean create(String username, String passwordHash, String role, Instant now);

    Optional<AccountRow> get(String username);

    List<AccountRow> all();

    boolean setRole(String username, String role, Instant now);

    boolean setPassword(String username, String passwordHash, Instant now);

    /** @return false when there is no active account of that name */
    boolean disable(String username, Instant now);
}
