package io.herald.postgres;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.LaneSettings;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.intake.RecipientPolicy;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.WorkQueue;
import io.herald.core.retention.NotificationRetention;
import io.herald.core.retry.RetryPolicy;
import io.herald.core.template.TemplateException;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention deletes settled notifications past their time with their history and their send's receipt, and never
 * touches work still queued, however old, nor anything recent.
 */
class PostgresHistoryPurgeTest {

    static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("history_purge");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Time-ordered ids as the server makes them (UUID version 7), at the test clock's time. */
    private static UUID v7(Instant at) {
        var random = ThreadLocalRandom.current();
        return new UUID((at.toEpochMilli() << 16) | 0x7000L | random.nextInt(0x1000),
                0x8000_0000_0000_0000L | (random.nextLong() >>> 2));
    }

    private static final ChannelProvider EMAIL = new ChannelProvider() {
        public String name() {
            return "mail";
        }

        public Channel channel() {
            return Channel.EMAIL;
        }

        public SendResult send(OutboundMessage m) {
            return SendResult.acceptedWithReceipts("m-" + m.id());
        }
    };

    private static UUID send(SendService intake, String eventId, String userId, Channel channel) {
        return intake.send(db.appId, new SendRequest(eventId, userId, null, Set.of(channel), null, null, null, null,
                new Content(null, null, "Hi", "<p>Hi</p>", "Hi", null, null), "transactional", Priority.NORMAL, null, null))
                .receipt().notifications().getFirst().id();
    }

    private static int count(String sql, UUID id) {
        Integer n = db.jdbc.queryForObject(sql, Integer.class, id);
        return n == null ? 0 : n;
    }

    @Test
    void settledNotificationsPastTheirTimeGoWithTheirHistoryAndReceipt() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0);
        SendService intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        }, RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, clock, () -> v7(clock.instant()));
        ChannelDispatcher mail = new ChannelDispatcher(new WorkQueue(Channel.EMAIL, null), new LaneSettings(4, 50, Duration.ofSeconds(60),
                Duration.ofMillis(50), retry), db.queue,
                new DeliveryAttempt(new ProviderRouter(List.of(EMAIL)), retry,
                        DispatchCheck.ALLOW_ALL, db.users, DispatchListener.NONE, clock),
                DispatchListener.NONE, clock, "purge-worker");
        db.users.upsert(db.appId, "u-old", "old@example.com", "+14155550100", "en", "UTC", null, clock.instant());

        UUID sent = send(intake, "evt-old-sent", "u-old", Channel.EMAIL);
        UUID nobody = send(intake, "evt-old-nobody", "u-unknown", Channel.EMAIL); // FAILED at intake: no such user
        UUID waiting = send(intake, "evt-old-waiting", "u-old", Channel.SMS); // no SMS worker here: queued for ever
        assertThat(mail.runDue()).isEqualTo(1);
        clock.advance(Duration.ofDays(90));
        UUID recent = send(intake, "evt-recent", "u-old", Channel.EMAIL);
        assertThat(mail.runDue()).isEqualTo(1);
        assertThat(db.queries.get(db.appId, sent).orElseThrow().status()).isEqualTo(Status.SENT);
        assertThat(db.queries.get(db.appId, nobody).orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(count("SELECT count(*) FROM provider_messages WHERE notification_id = ?", sent)).as("receipts' key").isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        List<Long> rests = new java.util.ArrayList<>();
        NotificationRetention retention = new NotificationRetention(new PostgresHistoryPurge(db.jdbc), Duration.ofDays(90), 1, clock,
                () -> 0L, rests::add);
        assertThat(retention.runOnce().notifications()).as("deleted").isEqualTo(2);
        assertThat(rests).as("a rest after each full batch of one").hasSize(2);

        assertThat(db.queries.get(db.appId, sent)).isEmpty();
        assertThat(db.queries.get(db.appId, nobody)).isEmpty();
        assertThat(count("SELECT count(*) FROM notification_events WHERE notification_id = ?", sent)).as("history").isZero();
        assertThat(db.queries.get(db.appId, waiting).orElseThrow().status()).as("queued work, however old").isEqualTo(Status.QUEUED);
        assertThat(count("SELECT count(*) FROM queue_entries WHERE notification_id = ?", waiting)).isEqualTo(1);
        assertThat(db.queries.get(db.appId, recent).orElseThrow().status()).as("recent").isEqualTo(Status.SENT);
        // the key receipts find a notification by went with it; the recent one's still finds it
        assertThat(count("SELECT count(*) FROM provider_messages WHERE notification_id = ?", sent)).as("receipts' key").isZero();
        assertThat(db.queries.delivered("mail", "m-" + sent, clock.instant(), null)).isFalse();
        assertThat(db.queries.delivered("mail", "m-" + recent, clock.instant(), "delivered")).isTrue();
        assertThat(db.queries.get(db.appId, recent).orElseThrow().status()).isEqualTo(Status.DELIVERED);

        // the receipts went with them: those eventIds are new again; the waiting one's receipt stays, a replay
        assertThat(db.notifications.findReceipt(db.appId, "evt-old-sent")).isEmpty();
        assertThat(db.notifications.findReceipt(db.appId, "evt-old-nobody")).isEmpty();
        assertThat(db.notifications.findReceipt(db.appId, "evt-old-waiting")).isPresent();
        assertThat(db.notifications.findReceipt(db.appId, "evt-recent")).isPresent();

        assertThat(retention.runOnce().notifications()).as("a second pass finds nothing").isZero();
    }

    private static UUID broadcast(String eventId, String status, Instant finished, UUID campaign) {
        UUID id = UUID.randomUUID();
        db.jdbc.update("""
                INSERT INTO broadcasts (id, app_id, event_id, audience, request, status, created_at, updated_at, finished_at, campaign_id)
                VALUES (?, ?, ?, '{}'::jsonb, '{}'::jsonb, ?, ?, ?, ?, ?)""", id, db.appId, eventId, status, Sql.ts(finished),
                Sql.ts(finished), Sql.ts(finished), campaign);
        receipt(eventId);
        return id;
    }

    private static UUID digest(String status, Instant flushed, String... eventIds) {
        UUID id = UUID.randomUUID();
        db.jdbc.update("""
                INSERT INTO digests (id, app_id, user_id, digest_key, request, events, event_ids, status, opened_at, flush_at, flushed_at)
                VALUES (?, ?, 'u-digest', 'daily', '{}'::jsonb, '[]'::jsonb, ?, ?, ?, ?, ?)""", id, db.appId, eventIds, status,
                Sql.ts(flushed), Sql.ts(flushed), status.equals("FLUSHED") ? Sql.ts(flushed) : null);
        for (String e : eventIds) receipt(e);
        return id;
    }

    private static void receipt(String eventId) {
        db.jdbc.update("INSERT INTO send_requests (app_id, event_id, response, created_at) VALUES (?, ?, '{}'::jsonb, now())", db.appId,
                eventId);
    }

    private static boolean exists(String table, UUID id) {
        return count("SELECT count(*) FROM " + table + " WHERE id = ?", id) == 1;
    }

    private static boolean hasReceipt(String eventId) {
        Integer n = db.jdbc.queryForObject("SELECT count(*) FROM send_requests WHERE app_id = ? AND event_id = ?", Integer.class, db.appId,
                eventId);
        return n != null && n > 0;
    }

    @Test
    void finishedBroadcastsAndFlushedDigestWindowsGoWithTheirReceiptsOnceNothingNeedsThem() throws Exception {
        Instant now = Instant.parse("2026-09-01T00:00:00Z");
        Instant old = now.minus(Duration.ofDays(100));
        Instant recent = now.minus(Duration.ofDays(10));
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID done = broadcast("b-done-" + run, "COMPLETED", old, null);
        UUID cancelled = broadcast("b-cancelled-" + run, "CANCELLED", old, null);
        UUID campaigns = broadcast("b-campaign-" + run, "COMPLETED", old, UUID.randomUUID());
        UUID running = broadcast("b-running-" + run, "FANNING_OUT", old, null);
        UUID fresh = broadcast("b-fresh-" + run, "COMPLETED", recent, null);
        UUID stillSending = broadcast("b-still-" + run, "COMPLETED", old, null);
        SendService intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        }, RecipientPolicy.ALLOW_ALL, db.notifications, WorkNotifier.NONE, new SettableClock(now), () -> v7(now));
        db.users.upsert(db.appId, "u-late", "late@example.com", null, "en", "UTC", null, now);
        UUID late = send(intake, "evt-late-" + run, "u-late", Channel.EMAIL); // a local-time recipient still queued
        db.jdbc.update("UPDATE notifications SET broadcast_id = ? WHERE id = ?", stillSending, late);
        UUID flushed = digest("FLUSHED", old, "d1-" + run, "d2-" + run);
        UUID open = digest("OPEN", old, "d3-" + run);
        UUID freshDigest = digest("FLUSHED", recent, "d4-" + run);

        NotificationRetention retention = new NotificationRetention(new PostgresHistoryPurge(db.jdbc), Duration.ofDays(90), 2,
                new SettableClock(now), () -> 0L, n -> {
                });
        long deleted = 0;
        for (int pass = 0; pass < 3; pass++) deleted += retention.runOnce().audienceSends();

        assertThat(deleted).isEqualTo(3);
        assertThat(exists("broadcasts", done)).isFalse();
        assertThat(exists("broadcasts", cancelled)).isFalse();
        assertThat(exists("digests", flushed)).isFalse();
        assertThat(hasReceipt("b-done-" + run)).as("the broadcast's eventId is new again").isFalse();
        assertThat(hasReceipt("d1-" + run)).as("the merged sends' eventIds too").isFalse();
        assertThat(hasReceipt("d2-" + run)).isFalse();

        assertThat(exists("broadcasts", campaigns)).as("a campaign's broadcast").isTrue();
        assertThat(exists("broadcasts", running)).as("still fanning out").isTrue();
        assertThat(exists("broadcasts", fresh)).as("recent").isTrue();
        assertThat(exists("broadcasts", stillSending)).as("one of its notifications is still queued").isTrue();
        assertThat(hasReceipt("b-still-" + run)).isTrue();
        assertThat(exists("digests", open)).as("an open window").isTrue();
        assertThat(hasReceipt("d3-" + run)).isTrue();
        assertThat(exists("digests", freshDigest)).isTrue();
    }

    @Test
    void theFirstIdOfAMillisecondSortsBelowEveryIdMadeInItAndAboveEveryEarlierOne() {
        Instant at = Instant.parse("2026-06-01T12:00:00.123Z");
        UUID first = PostgresHistoryPurge.firstIdAt(at);
        String sql = "SELECT ?::uuid < ?::uuid";
        for (int i = 0; i < 100; i++) {
            assertThat(db.jdbc.queryForObject(sql, Boolean.class, v7(at.minusMillis(1)), first)).isTrue();
            assertThat(db.jdbc.queryForObject(sql, Boolean.class, first, v7(at))).isTrue();
        }
        assertThat(first.version()).isEqualTo(7);
    }
}
