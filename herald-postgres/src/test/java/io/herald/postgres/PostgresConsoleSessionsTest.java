package io.herald.postgres;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Console sessions: idle timeout measured from the last request, hashed ids, logout and sign-out everywhere. */
class PostgresConsoleSessionsTest {

    @Test
    void aSessionLivesWhileUsedEndsWhenIdleAndIsStoredOnlyAsAHash() {
        try (var f = new PostgresFixture("sessions")) {
            var sessions = new PostgresConsoleSessions(f.jdbc, Duration.ofMinutes(30));
            Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
            var s = sessions.open("ada", t0);
            assertThat(f.count("SELECT count(*) FROM console_sessions WHERE id_hash = ?", s.id())).isZero();
            assertThat(f.count("SELECT count(*) FROM console_sessions WHERE username = 'ada'")).isEqualTo(1);

            // used every 20 minutes: still alive after an hour, because each use restarts the idle clock
            assertThat(sessions.find(s.id(), t0.plus(Duration.ofMinutes(20)))).isPresent();
            assertThat(sessions.find(s.id(), t0.plus(Duration.ofMinutes(40)))).isPresent();
            assertThat(sessions.find(s.id(), t0.plus(Duration.ofMinutes(60))).orElseThrow().csrfToken()).isEqualTo(s.csrfToken());
            // then 31 idle minutes: gone
            assertThat(sessions.find(s.id(), t0.plus(Duration.ofMinutes(91)))).isEmpty();
            assertThat(sessions.find("forged", t0)).isEmpty();

            var a = sessions.open("grace", t0);
            var b = sessions.open("grace", t0);
            sessions.close(a.id());
            assertThat(sessions.find(a.id(), t0)).isEmpty();
            assertThat(sessions.find(b.id(), t0)).isPresent();
            sessions.closeAll("grace");
            assertThat(sessions.find(b.id(), t0)).isEmpty();
        }
    }
}
