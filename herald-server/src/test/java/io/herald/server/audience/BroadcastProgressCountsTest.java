package io.herald.server.audience;

import com.github.benmanes.caffeine.cache.Ticker;
import io.herald.core.audience.Audience;
import io.herald.core.audience.BroadcastFanout;
import io.herald.core.audience.BroadcastStore;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.postgres.PostgresBroadcastStore;
import io.herald.postgres.PostgresNotificationStore;
import io.herald.server.ServerTestBase;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large broadcast's counts by status are one pass over its notifications: polled progress reuses them for a second
 * (a settable ticker here), a small broadcast is always counted afresh, and a cancel answers with fresh counts.
 * Reuse is checked by identity, so the server's own delivery of these notifications meanwhile cannot confuse it.
 */
class BroadcastProgressCountsTest extends ServerTestBase {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    PostgresNotificationStore notifications;
    @Autowired
    SendService sends;

    final AtomicLong nanos = new AtomicLong();

    @Test
    void largeBroadcastsReuseTheirCountsForASecondAndSmallOnesNever() {
        PostgresBroadcastStore store = new PostgresBroadcastStore(jdbc, tx, notifications, (Ticker) nanos::get);
        String p = "pc-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("POST", "/v1/users/batch", APP, """
                {"users":[{"userId":"%1$s-a","email":"pa@example.com","topics":["%1$s"]},
                          {"userId":"%1$s-b","email":"pb@example.com","topics":["%1$s"]}]}""".formatted(p)).status()).isEqualTo(200);
        long app = jdbc.queryForObject("SELECT app_id FROM users WHERE user_id = ?", Long.class, p + "-a");
        UUID id = fanOut(store, app, p);

        Map<String, Long> small = counts(store, app, id);
        assertThat(small.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        assertThat(counts(store, app, id)).as("small: counted every time").isNotSameAs(small);

        jdbc.update("UPDATE broadcasts SET recipients = 10000 WHERE id = ?", id); // large from here on
        Map<String, Long> large = counts(store, app, id);
        nanos.addAndGet(Duration.ofMillis(900).toNanos());
        assertThat(counts(store, app, id)).as("within the second: reused").isSameAs(large);
        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        Map<String, Long> later = counts(store, app, id);
        assertThat(later).as("after the second: counted again").isNotSameAs(large);

        var cancelled = store.cancel(app, id, Instant.now()).orElseThrow();
        assertThat(cancelled.byStatus()).as("a cancel answers with fresh counts").isNotSameAs(later);
        assertThat(counts(store, app, id)).isSameAs(cancelled.byStatus());
    }

    @Test
    void slowCountsAreReusedForTenTimesWhatTheyTookWithinBounds() {
        assertThat(PostgresBroadcastStore.countsKeptNanos(0)).as("a fast count: a second").isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(PostgresBroadcastStore.countsKeptNanos(Duration.ofMillis(400).toNanos())).isEqualTo(Duration.ofSeconds(4).toNanos());
        assertThat(PostgresBroadcastStore.countsKeptNanos(Duration.ofMinutes(5).toNanos())).as("at most 30 s")
                .isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    private static Map<String, Long> counts(PostgresBroadcastStore store, long app, UUID id) {
        return store.progress(app, id).orElseThrow().byStatus();
    }

    /** Fans a {@link FarBroadcast} to the topic out to the end. */
    private UUID fanOut(PostgresBroadcastStore store, long app, String topic) {
        FarBroadcast far = FarBroadcast.create(store, app, topic);
        UUID id = far.id();
        BroadcastFanout fanout = new BroadcastFanout(store, sends, far.clock(), new BroadcastFanout.Settings(10, Duration.ofSeconds(30)),
                "node-" + topic);
        assertThat(far.runToEnd(fanout, store, app)).isEqualTo("COMPLETED");
        return id;
    }
}
