package io.herald.postgres;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresAppStoreTest {

    @Test
    void scopesAreStoredAsATrueArrayWhateverTheyContain() {
        try (PostgresFixture f = new PostgresFixture("apps")) {
            // with an array literal built by concatenation, these would split, merge or fail to parse
            List<String> scopes = List.of("send", "a,b", "c}", "\"quoted\"", "back\\slash");
            f.apps.create("scoped", "hash", "scoped app", scopes, Instant.now()).orElseThrow();
            assertThat(f.apps.byKey("scoped").orElseThrow().scopes()).containsExactlyElementsOf(scopes);
            assertThat(f.apps.create("scoped", "hash", "again", List.of(), Instant.now())).isEmpty();
        }
    }

    @Test
    void appsWithoutScopesGetThemAllByDefault() {
        try (PostgresFixture f = new PostgresFixture("apps")) {
            f.jdbc.update("INSERT INTO apps (app_key, secret_hash, name, created_at) VALUES ('legacy', 'h', 'legacy', now())");
            assertThat(f.apps.byKey("legacy").orElseThrow().scopes()).containsExactly("read", "send", "topics", "users", "webhooks");
        }
    }
}
