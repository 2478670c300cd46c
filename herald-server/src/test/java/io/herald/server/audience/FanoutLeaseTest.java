package io.herald.server.audience;

import io.herald.core.audience.Audience;
import io.herald.core.audience.BroadcastFanout;
import io.herald.core.audience.BroadcastStore;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.postgres.PostgresBroadcastStore;
import io.herald.postgres.PostgresTopicStore;
import io.herald.server.ServerTestBase;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two fan-out nodes on one broadcast, stepped page by page with a settable clock: the lease keeps the second out,
 * a lease that expires passes the broadcast on at the last committed page, the node that lost it can commit
 * nothing more, and a subscriber who leaves the topic mid-fan-out gets nothing. A pipelined run (the next page read while
 * the current one commits) plans everyone exactly once.
 * The broadcast starts far in the future (notBefore), so the server's own scheduler never touches it.
 */
class FanoutLeaseTest extends ServerTestBase {

    @Autowired
    PostgresBroadcastStore store;
    @Autowired
    PostgresTopicStore topics;
    @Autowired
    SendService sends;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLostLeaseHandsTheBroadcastOnWithoutSkippingOrRepeatingAnyone() {
        String p = "fl-" + UUID.randomUUID().toString().substring(0, 8);
        long app = subscribers(p, 1, 7);

        FarBroadcast far = FarBroadcast.create(store, app, p);
        UUID id = far.id();
        SettableClock clock = far.clock();

        var settings = new BroadcastFanout.Settings(2, Duration.ofSeconds(30));
        BroadcastFanout a = new BroadcastFanout(store, sends, clock, settings, "node-a");
        BroadcastFanout b = new BroadcastFanout(store, sends, clock, settings, "node-b");
        var held = a.claim().filter(x -> x.id().equals(id)).orElseThrow();
        assertThat(b.claim()).as("leased to node-a").isEmpty();

        var first = a.page(held, null);
        assertThat(first.more()).isTrue();
        assertThat(count(id)).isEqualTo(2);
        assertThat(topics.unsubscribe(app, p, p + "-6")).isTrue(); // leaves before their page is reached

        clock.advance(Duration.ofSeconds(31)); // node-a stalls past its lease
        var taken = b.claim().filter(x -> x.id().equals(id)).orElseThrow();
        assertThat(taken.cursor()).isEqualTo(p + "-2");
        assertThat(a.page(held, first.cursor()).more()).as("node-a lost its lease: its page is refused").isFalse();
        assertThat(count(id)).isEqualTo(2);

        var step = new BroadcastFanout.Step(taken.cursor(), true);
        while (step.more()) step = b.page(taken, step.cursor());
        assertThat(store.progress(app, id).orElseThrow().broadcast().status().name()).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForList("SELECT user_id FROM notifications WHERE broadcast_id = ? ORDER BY user_id", String.class, id))
                .containsExactly(p + "-1", p + "-2", p + "-3", p + "-4", p + "-5", p + "-7");
    }

    @Test
    void aPipelinedFanOutPlansEveryoneExactlyOnceInCursorOrder() {
        // 10 users in pages of 3: the pipeline reads each next page while the one before commits, and the last page is short
        String p = "fp-" + UUID.randomUUID().toString().substring(0, 8);
        long app = subscribers(p, 0, 9);

        FarBroadcast far = FarBroadcast.create(store, app, p);
        UUID id = far.id();
        SettableClock clock = far.clock();

        BroadcastFanout fanout = new BroadcastFanout(store, sends, clock, new BroadcastFanout.Settings(3, Duration.ofSeconds(30)),
                "node-p");
        far.runToEnd(fanout, store, app);

        var done = store.progress(app, id).orElseThrow().broadcast();
        assertThat(done.status().name()).isEqualTo("COMPLETED");
        assertThat(done.recipients()).isEqualTo(10);
        assertThat(done.cursor()).isEqualTo(p + "-9");
        assertThat(jdbc.queryForList("SELECT user_id FROM notifications WHERE broadcast_id = ? ORDER BY user_id", String.class, id))
                .containsExactly(p + "-0", p + "-1", p + "-2", p + "-3", p + "-4", p + "-5", p + "-6", p + "-7", p + "-8", p + "-9");
    }

    @Test
    void aFanOutRestsBeforeEachPageWhileHighIsStrained() {
        String p = "fy-" + UUID.randomUUID().toString().substring(0, 8);
        long app = subscribers(p, 0, 6);
        FarBroadcast far = FarBroadcast.create(store, app, p);
        UUID id = far.id();
        var rests = new java.util.ArrayList<Duration>();
        var bulkYield = new io.herald.core.dispatch.BulkYield(new io.herald.core.dispatch.BulkYield.Settings(Duration.ofMillis(50),
                Duration.ofMillis(10), Duration.ofMillis(250), Duration.ofHours(1)), System::nanoTime, rests::add);
        bulkYield.highWaited(Duration.ofSeconds(1));
        BroadcastFanout fanout = new BroadcastFanout(store, sends, far.clock(), new BroadcastFanout.Settings(3, Duration.ofSeconds(30)),
                "node-y", bulkYield);
        assertThat(far.runToEnd(fanout, store, app)).isEqualTo("COMPLETED");
        assertThat(count(id)).isEqualTo(7);
        // 7 recipients in pages of 3: three pages, each committed after a rest (another test's broadcast may add more)
        assertThat(rests).hasSizeGreaterThanOrEqualTo(3).containsOnly(Duration.ofMillis(10));
    }

    private long count(UUID broadcast) {
        return jdbc.queryForObject("SELECT count(*) FROM notifications WHERE broadcast_id = ?", Long.class, broadcast);
    }

    /** Imports users {topic}-{from..to} (an email each) subscribed to the topic; answers their app's id. */
    private long subscribers(String topic, int from, int to) {
        StringBuilder users = new StringBuilder("{\"users\":[");
        for (int i = from; i <= to; i++)
            users.append(i > from ? "," : "")
                    .append("{\"userId\":\"%s-%d\",\"email\":\"u%d@example.com\",\"topics\":[\"%s\"]}".formatted(topic, i, i, topic));
        assertThat(call("POST", "/v1/users/batch", APP, users.append("]}").toString()).status()).isEqualTo(200);
        return jdbc.queryForObject("SELECT app_id FROM users WHERE user_id = ?", Long.class, topic + "-" + from);
    }
}
