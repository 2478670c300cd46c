package io.herald.postgres;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Client apps. Only a hash of each secret is stored; hashing and comparison are the caller's (see the server's AppAuthenticator). */
public final class PostgresAppStore implements io.herald.core.admin.AppAdmin {

    private final JdbcTemplate jdbc;

    public PostgresAppStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // AppRow is AppAdmin's record

    /** @return the new app's id, or empty when the key exists already */
    public Optional<Long> create(String appKey, String secretHash, String name, List<String> scopes, Instant now) {
        // the driver's array type, so no scope name can break out of the array literal
        return jdbc.query(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO apps (app_key, secret_hash, name, scopes, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (app_key) DO NOTHING RETURNING id""");
            ps.setString(1, appKey);
            ps.setString(2, secretHash);
            ps.setString(3, name);
            ps.setArray(4, con.createArrayOf("text", scopes.toArray()));
            ps.setTimestamp(5, ts(now));
            return ps;
        }, (rs, i) -> rs.getLong(1)).stream().findFirst();
    }

    public Optional<AppRow> byKey(String appKey) {
        return jdbc.query(SELECT + " WHERE app_key = ?", this::row, appKey).stream().findFirst();
    }

    public List<AppRow> all() {
        return jdbc.query(SELECT + " ORDER BY id", this::row);
    }

    /** @return true when an active app was revoked */
    public boolean revoke(String appKey, Instant now) {
        return jdbc.update("UPDATE apps SET revoked_at = ? WHERE app_key = ? AND revoked_at IS NULL", ts(now), appKey) > 0;
    }

    /** Replaces the secret of an active app: the old one stops working, and so do inbox tokens minted under it. */
    public boolean rotateSecret(String appKey, String newSecretHash) {
        return jdbc.update("UPDATE apps SET secret_hash = ? WHERE app_key = ? AND revoked_at IS NULL", newSecretHash, appKey) > 0;
    }

    private static final String SELECT = "SELECT id, app_key, secret_hash, name, scopes, created_at, revoked_at FROM apps";

    private AppRow row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        String[] scopes = (String[]) rs.getArray(5).getArray();
        return new AppRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), List.of(scopes),
                instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)));
    }
}
