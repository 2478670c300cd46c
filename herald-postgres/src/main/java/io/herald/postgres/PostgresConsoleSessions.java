package io.herald.postgres;

import io.herald.core.admin.ConsoleSessions;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import static io.herald.postgres.Sql.ts;

/**
 * Operator console sessions. The browser holds a random 256-bit id; the table holds its SHA-256, so a copy of
 * the database cannot be replayed as cookies. A session ends at logout or after {@code idle} without a request.
 */
public final class PostgresConsoleSessions implements ConsoleSessions {

    /** last_seen_at is written at most this often, so a polling page does not write on every request. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final Duration idle;

    public PostgresConsoleSessions(JdbcTemplate jdbc, Duration idle) {
        this.jdbc = jdbc;
        this.idle = idle;
    }

    // Session is ConsoleSessions' record

    @Override
    public Session open(String username, Instant now) {
        jdbc.update("DELETE FROM console_sessions WHERE last_seen_at < ?", ts(now.minus(idle)));
        String id = ConsoleSessions.random(), csrf = ConsoleSessions.random();
        jdbc.update("INSERT INTO console_sessions (id_hash, username, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
                hash(id), username, csrf, ts(now), ts(now));
        return new Session(id, username, csrf);
    }

    /** The live session of a cookie value, its idle clock restarted; empty when unknown, ended or idle too long. */
    @Override
    public Optional<Session> find(String id, Instant now) {
        if (id == null || id.isBlank() || id.length() > 100) return Optional.empty();
        String h = hash(id);
        var found = jdbc.query("SELECT username, csrf_token, last_seen_at FROM console_sessions WHERE id_hash = ? AND last_seen_at >= ?",
                (rs, i) -> new Object[]{rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()}, h, ts(now.minus(idle)));
        if (found.isEmpty()) return Optional.empty();
        Object[] row = found.getFirst();
        if (((Instant) row[2]).isBefore(now.minus(TOUCH_EVERY))) {
            jdbc.update("UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ?", ts(now), h);
        }
        return Optional.of(new Session(id, (String) row[0], (String) row[1]));
    }

    @Override
    public void close(String id) {
        if (id != null) jdbc.update("DELETE FROM console_sessions WHERE id_hash = ?", hash(id));
    }

    /** Ends every session of an account (disabled, or its role changed by someone else is fine to keep). */
    @Override
    public void closeAll(String username) {
        jdbc.update("DELETE FROM console_sessions WHERE username = ?", username);
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
