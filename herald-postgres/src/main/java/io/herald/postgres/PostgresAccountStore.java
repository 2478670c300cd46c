package io.herald.postgres;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Operator accounts. Password hashing is the caller's (a slow KDF); this store never sees a password. */
public final class PostgresAccountStore implements io.herald.core.admin.AccountAdmin {

    private final JdbcTemplate jdbc;

    public PostgresAccountStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // AccountRow is AccountAdmin's record

    /** @return false when the username is taken */
    public boolean create(String username, String passwordHash, String role, Instant now) {
        return jdbc.update("""
                INSERT INTO operator_accounts (username, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", username, passwordHash, role, ts(now), ts(now)) > 0;
    }

    public Optional<AccountRow> get(String username) {
        return jdbc.query("SELECT username, password_hash, role, disabled_at, created_at FROM operator_accounts WHERE username = ?",
                (rs, i) -> new AccountRow(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5))),
                username).stream().findFirst();
    }

    public List<AccountRow> all() {
        return jdbc.query("SELECT username, '' , role, disabled_at, created_at FROM operator_accounts ORDER BY username",
                (rs, i) -> new AccountRow(rs.getString(1), null, rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5))));
    }

    public boolean setRole(String username, String role, Instant now) {
        return jdbc.update("UPDATE operator_accounts SET role = ?, updated_at = ? WHERE username = ?", role, ts(now), username) > 0;
    }

    public boolean setPassword(String username, String passwordHash, Instant now) {
        return jdbc.update("UPDATE operator_accounts SET password_hash = ?, disabled_at = NULL, updated_at = ? WHERE username = ?",
                passwordHash, ts(now), username) > 0;
    }

    public boolean disable(String username, Instant now) {
        return jdbc.update("UPDATE operator_accounts SET disabled_at = ?, updated_at = ? WHERE username = ? AND disabled_at IS NULL",
                ts(now), ts(now), username) > 0;
    }
}
