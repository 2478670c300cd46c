package io.herald.postgres;

import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import static io.herald.postgres.Sql.ts;

/**
 * Operator console sessions. The browser holds a random 256-bit id; the table holds its SHA-256, so a copy of
 * the database cannot be replayed as cookies. A session ends at logout or after {@code idle} without a request.
 */
public final class PostgresConsoleSessions {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** last_seen_at is written at most this often, so a polling page does not write on every request. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final Duration idle;

    public PostgresConsoleSessions(JdbcTemplate jdbc, Duration idle) {
        this.jdbc = jdbc;
        this.idle = idle;
    }

    /** @param id the cookie value; {@code csrfToken} goes into every form of the session */
    public record Session(String id, String username, String csrfToken) {
    }

    public Session open(String username, Instant now) {
        jdbc.update("DELETE FROM console_sessions WHERE last_seen_at < ?", ts(now.minus(idle)));
        String id = random(), csrf = random();
        jdbc.update("INSERT INTO console_sessions (id_hash, username, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
                hash(id), username, csrf, ts(now), ts(now));
        return new Session(id, username, csrf);
    }

    /** The live session of a cookie value, its idle clock restarted; empty when unknown, ended or idle too long. */
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

    public void close(String id) {
        if (id != null) jdbc.update("DELETE FROM console_sessions WHERE id_hash = ?", hash(id));
    }

    /** Ends every session of an account (disabled, or its role changed by someone else is fine to keep). */
    public void closeAll(String username) {
        jdbc.update("DELETE FROM console_sessions WHERE username = ?", username);
    }

    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
