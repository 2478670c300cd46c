package io.herald.server.inbox;

import io.herald.core.inbox.InboxTokens;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Tokens a test cannot get from the API: minted with the server's own key by a clock two hours behind. */
record InboxApiTestTokens(JdbcTemplate jdbc) {

    /** A token of the bootstrap app "app1" that expired an hour ago. */
    String expired(String userId) {
        byte[] key = jdbc.queryForObject("SELECT key FROM server_keys WHERE name = 'inbox-token'", byte[].class);
        var row = jdbc.queryForMap("SELECT id, secret_hash FROM apps WHERE app_key = 'app1'");
        var app = new InboxTokens.App(((Number) row.get("id")).longValue(), "app1", (String) row.get("secret_hash"));
        var tokens = new InboxTokens(key, k -> Optional.of(app), Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
        return tokens.mint("app1", userId, Duration.ofHours(1)).orElseThrow().token();
    }
}
