package io.herald.postgres;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollups and the webhook outbox against the history they come from: a generated data set folded by two
 * aggregators at once (as two nodes would) gives exactly the counts of the events, each event announced once.
 */
class PostgresEngagementAggregatorTest {

    private static final int NOTIFICATIONS = 40_000;

    @Test
    void concurrentAggregatorsCountEveryEventExactlyOnce() {
        try (PostgresFixture f = new PostgresFixture("engagement")) {
            Instant start = Instant.parse("2026-11-30T00:00:00Z");
            UUID hook = UUID.randomUUID();
            f.jdbc.update("""
                    INSERT INTO webhook_subscriptions (id, app_id, url, events, secret, created_at)
                    VALUES (?, ?, 'https://hooks.example.com/h', '{notification.failed,notification.clicked}', 'whsec_x', ?)""",
                    hook, f.appId, Sql.ts(start.minusSeconds(60)));
            long t0 = System.nanoTime();
            f.jdbc.update(
                    """
                            INSERT INTO notifications (id, app_id, event_id, channel, priority, category, template_key, status, created_at, updated_at)
                            SELECT gen_random_uuid(), ?, 'e-' || i, (ARRAY['PUSH','SMS','EMAIL'])[1 + i % 3], 'NORMAL',
                                   (ARRAY['marketing','transactional'])[1 + i % 2], (ARRAY['welcome','receipt', NULL])[1 + i % 3], 'SENT',
                                   ?::timestamptz + (i % 2880) * interval '1 minute', now()
                            FROM generate_series(1, ?) i""",
                    f.appId, Sql.ts(start), NOTIFICATIONS);
            // history: every one SENT, then a mix of receipts, opens (some by machines), clicks, failures and conversions
            f.jdbc.update("""
                    INSERT INTO notification_events (notification_id, status, at, reason, automated)
                    SELECT n.id, s.status, n.created_at + s.after, s.reason, s.automated
                    FROM (SELECT id, created_at, row_number() OVER (ORDER BY id) AS k FROM notifications) n
                    CROSS JOIN LATERAL (VALUES ('SENT', interval '0', NULL, FALSE, TRUE),
                                               ('DELIVERED', interval '10 seconds', NULL, FALSE, n.k % 2 = 0),
                                               ('OPENED', interval '50 minutes', NULL, FALSE, n.k % 5 = 0),
                                               ('OPENED', interval '1 second', NULL, TRUE, n.k % 7 = 0),
                                               ('CLICKED', interval '70 minutes', NULL, FALSE, n.k % 10 = 0),
                                               ('FAILED', interval '5 seconds', 'PROVIDER_REJECTED', FALSE, n.k % 33 = 0),
                                               ('FAILED', interval '5 seconds', 'INVALID_RECIPIENT', FALSE, n.k % 41 = 0),
                                               ('CONVERTED', interval '3 hours', NULL, FALSE, n.k % 50 = 0))
                        AS s(status, after, reason, automated, happens)
                    WHERE s.happens""");
            long events = f.count("SELECT count(*) FROM notification_events");
            long insertMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(f.count("SELECT count(*) FROM engagement_pending")).isEqualTo(events);

            var aggregator = new PostgresEngagementAggregator(f.jdbc, f.tx, Clock.systemUTC());
            long t1 = System.nanoTime();
            var a = CompletableFuture.runAsync(() -> drain(aggregator));
            var b = CompletableFuture.runAsync(() -> drain(aggregator));
            CompletableFuture.allOf(a, b).join();
            long foldMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(f.count("SELECT count(*) FROM engagement_pending")).isZero();

            Map<String, Long> truth = new HashMap<>();
            f.jdbc.query("""
                    SELECT date_trunc('hour', e.at), n.channel, e.status, e.automated, coalesce(e.reason, ''), count(*)
                    FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                    GROUP BY 1, 2, 3, 4, 5""", rs -> {
                String metric = PostgresEngagementAggregator.metric(rs.getString(3), rs.getBoolean(4));
                truth.merge(rs.getTimestamp(1).toInstant() + "|" + rs.getString(2) + "|" + metric + "|" + rs.getString(5), rs.getLong(6),
                        Long::sum);
            });
            Map<String, Long> rolled = new HashMap<>();
            f.jdbc.query("SELECT hour, channel, metric, reason, sum(count) FROM analytics_hourly GROUP BY 1, 2, 3, 4", rs -> {
                rolled.merge(rs.getTimestamp(1).toInstant() + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4),
                        rs.getLong(5), Long::sum);
            });
            assertThat(rolled).isEqualTo(truth);

            // the outbox: one delivery per subscribed event, none for the rest (machines' opens included)
            long subscribed = f
                    .count("SELECT count(*) FROM notification_events WHERE status IN ('FAILED') OR (status = 'CLICKED' AND NOT automated)");
            assertThat(f.count("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = ?", hook)).isEqualTo(subscribed);
            assertThat(f.count("SELECT count(DISTINCT id) FROM webhook_deliveries")).isEqualTo(subscribed);

            // retention: delivered messages go, failed ones stay for replay
            var webhooks = new PostgresWebhookStore(f.jdbc, f.tx);
            f.jdbc.update(
                    "UPDATE webhook_deliveries SET status = 'DELIVERED' WHERE id IN (SELECT id FROM webhook_deliveries ORDER BY id LIMIT 10)");
            f.jdbc.update("UPDATE webhook_deliveries SET status = 'FAILED' WHERE status = 'PENDING'");
            f.jdbc.update("UPDATE webhook_deliveries SET created_at = created_at - interval '40 days'");
            assertThat(webhooks.purge(Instant.now().minus(java.time.Duration.ofDays(30)))).isEqualTo(10);
            assertThat(f.count("SELECT count(*) FROM webhook_deliveries")).isEqualTo(subscribed - 10);

            // the API's read: two days by hour, one filter, from rollups only
            var analytics = new PostgresAnalytics(f.jdbc);
            long t2 = System.nanoTime();
            List<PostgresAnalytics.HourCount> rows = analytics.hourly(f.appId, start, start.plus(2, ChronoUnit.DAYS),
                    new PostgresAnalytics.Filter(null, null, "EMAIL", null));
            long readMs = (System.nanoTime() - t2) / 1_000_000;
            long sentEmail = rows.stream().filter(r -> r.metric().equals("sent")).mapToLong(PostgresAnalytics.HourCount::count).sum();
            assertThat(sentEmail).isEqualTo(f.count("SELECT count(*) FROM notifications WHERE channel = 'EMAIL'"));
            System.out.printf("engagement: %d events inserted with the trigger in %d ms; folded by 2 aggregators in %d ms (%.0f events/s); "
                    + "48 h analytics read in %d ms from %d rollup rows%n", events, insertMs, foldMs, events * 1000.0 / Math.max(1, foldMs),
                    readMs, f.count("SELECT count(*) FROM analytics_hourly"));
        }
    }

    @Test
    void onlyOutcomesAndEngagementOfAStatementLeavePointers() {
        try (PostgresFixture f = new PostgresFixture("engagement_pointers")) {
            UUID id = UUID.randomUUID();
            f.jdbc.update("""
                    INSERT INTO notifications (id, app_id, event_id, channel, priority, status, created_at, updated_at)
                    VALUES (?, ?, 'e-1', 'EMAIL', 'NORMAL', 'SENT', now(), now())""", id, f.appId);
            // one statement, as an outcome writes its batch: waiting and working states are not analytics' business
            f.jdbc.update("""
                    INSERT INTO notification_events (notification_id, status, at)
                    SELECT ?, s, now() FROM unnest('{QUEUED,SCHEDULED,SENDING,RETRYING,SENT,DELIVERED,OPENED,CLICKED}'::text[]) s""",
                    id);
            f.jdbc.update("INSERT INTO notification_events (notification_id, status, at) SELECT ?, 'FAILED', now() WHERE false", id);
            assertThat(f.jdbc.queryForList("""
                    SELECT e.status FROM engagement_pending p JOIN notification_events e ON e.id = p.event_id ORDER BY e.id""",
                    String.class)).containsExactly("SENT", "DELIVERED", "OPENED", "CLICKED");
        }
    }

    private static void drain(PostgresEngagementAggregator aggregator) {
        while (aggregator.runOnce(5000) > 0) {
            // keep folding until nothing is pending
        }
    }
}
