package io.herald.postgres;

import io.herald.core.intake.Recipient;
import io.herald.core.model.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher's batch re-check reads users in two statements, a cache miss reads one user and its devices in one:
 * both must see what the one-by-one reads see.
 */
class PostgresUserStoreFindAllTest {

    private static final PostgresFixture pg = new PostgresFixture("findall");

    @AfterAll
    static void close() {
        pg.close();
    }

    @Test
    void manyUsersAtOnceEqualTheirOneByOneReads() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        PostgresUserStore users = pg.users;
        users.upsert(pg.appId, "ann", "ann@example.com", null, "de", "Europe/Berlin", null, now);
        users.savePreferences(pg.appId, "ann", "{\"channels\":{\"EMAIL\":false}}", now);
        users.upsert(pg.appId, "bob", null, "+15550100", null, null, null, now);
        users.registerDevice(pg.appId, "ann", Platform.IOS, "a1", null, now);
        var gone = users.registerDevice(pg.appId, "ann", Platform.IOS, "a2", null, now).getKey();
        users.registerDevice(pg.appId, "ann", Platform.ANDROID, "a3", null, now.plusSeconds(1));
        users.deactivate(pg.appId, gone.id().toString(), now.plusSeconds(5));

        Map<String, Recipient> found = users.findAll(pg.appId, List.of("ann", "bob", "nobody"));

        assertThat(found).containsOnlyKeys("ann", "bob");
        for (String id : List.of("ann", "bob")) {
            assertThat(found.get(id).profile()).isEqualTo(users.find(pg.appId, id).orElseThrow());
            assertThat(found.get(id).devices()).isEqualTo(users.activeDevices(pg.appId, id));
            // a cache miss reads the same in one statement
            assertThat(users.recipient(pg.appId, id)).contains(found.get(id));
        }
        assertThat(users.recipient(pg.appId, "nobody")).isEmpty();
        assertThat(found.get("ann").devices()).extracting(d -> d.token()).containsExactly("a1", "a3");
        assertThat(found.get("bob").devices()).isEmpty();
        assertThat(users.findAll(pg.appId, List.of())).isEmpty();
    }
}
