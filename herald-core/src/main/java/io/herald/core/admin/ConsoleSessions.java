package io.herald.core.admin;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Operator console sessions: the browser holds a random id, a session ends at logout or after an idle time. */
public interface ConsoleSessions {

    /** @param id the cookie value; {@code csrfToken} goes into every form of the session */
    record Session(String id, String username, String csrfToken) {
    }

    Session open(String username, Instant now);

    /** The live session of a cookie value, its idle clock restarted; empty when unknown, ended or idle too long. */
    Optional<Session> find(String id, Instant now);

    void close(String id);

    /** Ends every session of an account. */
    void closeAll(String username);

    /** 256 random bits, URL-safe: session ids and CSRF tokens. */
    static String random() {
        byte[] b = new byte[32];
        Tokens.RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Holder of the one generator (an interface's fields are public; this keeps it out of sight). */
    final class Tokens {
        private static final SecureRandom RANDOM = new SecureRandom();

        private Tokens() {
        }
    }
}
