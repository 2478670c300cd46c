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
 * pages commit, several at once) plans everyone exactly once; a page committing behind another waits for it and stores
 * nothing when that one rolls back.
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
    @Autowired
    javax.sql.DataSource dataSource;

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

        BroadcastFanout fanout = new BroadcastFanout(store, sends, clock, new BroadcastFanout.Settings(3, Duration.ofSeconds(30), 3),
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
    void aPageCommittingBehindAnotherWaitsForItAndStoresNothingWhenThatOneRollsBack() throws Exception {
        String p = "fw-" + UUID.randomUUID().toString().substring(0, 8);
        long app = subscribers(p, 1, 6);
        FarBroadcast far = FarBroadcast.create(store, app, p);
        UUID id = far.id();
        BroadcastFanout a = new BroadcastFanout(store, sends, far.clock(), new BroadcastFanout.Settings(2, Duration.ofSeconds(30), 2),
                "node-w");
        var held = a.claim().filter(x -> x.id().equals(id)).orElseThrow();

        // the first page "commits" in a transaction of its own, which holds the broadcast's row; the second page's
        // commit, started meanwhile, inserts its rows and waits for that row
        assertThat(pageBehind(a, held, p + "-2", false).more()).as("the page before it rolled back: refused").isFalse();
        assertThat(count(id)).as("nothing of the refused page was stored").isZero();
        assertThat(store.progress(app, id).orElseThrow().broadcast().cursor()).isNull();

        var step = pageBehind(a, held, p + "-2", true);
        assertThat(step).isEqualTo(new BroadcastFanout.Step(p + "-4", true));
        assertThat(jdbc.queryForList("SELECT user_id FROM notifications WHERE broadcast_id = ? ORDER BY user_id", String.class, id))
                .containsExactly(p + "-3", p + "-4");
        while (step.more()) step = a.page(held, step.cursor()); // to the end, so no other test claims it later
        assertThat(store.progress(app, id).orElseThrow().broadcast().status().name()).isEqualTo("COMPLETED");
        assertThat(count(id)).as("users 1 and 2 were the page that \"committed\" without rows").isEqualTo(4);
    }

    @Test
    void whileHighDeliveriesFlowPagesCommitOneAtATime() {
        String p = "fh-" + UUID.randomUUID().toString().substring(0, 8);
        long app = subscribers(p, 0, 7);
        FarBroadcast far = FarBroadcast.create(store, app, p);
        var nanos = new java.util.concurrent.atomic.AtomicLong();
        var bulkYield = io.herald.core.dispatch.BulkYield.restless(nanos::get);
        bulkYield.highWaited(Duration.ofMillis(1)); // a HIGH delivery was just claimed here
        var counting = new CountingCommits(store);
        BroadcastFanout fanout = new BroadcastFanout(counting, sends, far.clock(),
                new BroadcastFanout.Settings(1, Duration.ofSeconds(30), 3),
                "node-h", bulkYield);
        assertThat(far.runToEnd(fanout, store, app)).isEqualTo("COMPLETED");
        assertThat(count(far.id())).isEqualTo(8);
        assertThat(counting.most.get()).as("pages committing at once while HIGH flows").isEqualTo(1);
    }

    /** The store, counting how many page commits run at once at most. */
    private static final class CountingCommits implements BroadcastStore {
        private final BroadcastStore store;
        private final java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();

        CountingCommits(BroadcastStore store) {
            this.store = store;
        }

        @Override
        public boolean commitPage(Broadcast b, String owner, Page page, Instant now, Duration lease, Instant notBefore, Turn turn) {
            most.accumulateAndGet(this.now.incrementAndGet(), Math::max);
            try {
                return store.commitPage(b, owner, page, now, lease, notBefore, turn);
            } finally {
                this.now.decrementAndGet();
            }
        }

        @Override
        public Created create(long appId, UUID id, io.herald.core.audience.Audience audience, SendRequest send, Instant now, Schedule s) {
            return store.create(appId, id, audience, send, now, s);
        }

        @Override
        public boolean move(long appId, UUID id, io.herald.core.audience.BroadcastStatus from, io.herald.core.audience.BroadcastStatus to,
                            Instant now) {
            return store.move(appId, id, from, to, now);
        }

        @Override
        public java.util.Optional<Broadcast> claim(String owner, Instant now, Duration lease) {
            return store.claim(owner, now, lease);
        }

        @Override
        public List<io.herald.core.intake.Recipient> page(long appId, io.herald.core.audience.Audience audience, String after, int limit,
                                                          boolean withDevices) {
            return store.page(appId, audience, after, limit, withDevices);
        }

        @Override
        public java.util.Optional<Progress> progress(long appId, UUID id) {
            return store.progress(appId, id);
        }

        @Override
        public java.util.Optional<Progress> cancel(long appId, UUID id, Instant now) {
            return store.cancel(appId, id, now);
        }
    }

    /** Commits the page after {@code cursor} while another transaction moves the cursor there and then commits or rolls back. */
    private BroadcastFanout.Step pageBehind(BroadcastFanout fanout, BroadcastStore.Broadcast held, String cursor, boolean commitFirst)
            throws Exception {
        try (var first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            try (var ps = first.prepareStatement("UPDATE broadcasts SET cursor_user_id = ? WHERE id = ?")) {
                ps.setString(1, cursor);
                ps.setObject(2, held.id());
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            var second = new java.util.concurrent.FutureTask<>(() -> fanout.page(held, cursor));
            Thread.ofPlatform().start(second);
            awaitLockWaitOnBroadcasts(second);
            if (commitFirst) first.commit();
            else
                first.rollback();
            return second.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Until a session waits for a row lock in its update of the broadcast's row (fails if the page finished first). */
    private void awaitLockWaitOnBroadcasts(java.util.concurrent.Future<?> page) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (jdbc.queryForObject(
                """
                        SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT cursor_user_id FROM broadcasts%FOR UPDATE'""",
                Long.class) == 0) {
            assertThat(page).as("the page's commit must wait for the page before it").isNotDone();
            assertThat(System.nanoTime()).as("the page's commit never waited for the row").isLessThan(deadline);
            Thread.onSpinWait();
        }
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
