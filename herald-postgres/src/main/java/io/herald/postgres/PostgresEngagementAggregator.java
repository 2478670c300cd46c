package io.herald.postgres;

import io.herald.core.engagement.EngagementRollup;
import io.herald.core.engagement.WebhookEventType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/**
 * Folds new history events into the hourly analytics counters and the status-webhook outbox. Each batch is one
 * transaction that deletes its pointers from engagement_pending (written by a trigger with the event itself), so an
 * event is counted and announced exactly once, whatever crashes; SKIP LOCKED lets every node run this at once.
 */
public final class PostgresEngagementAggregator implements EngagementRollup {

    private record Key(long appId, Instant hour, String template, String campaign, String channel, String category,
                       String metric, String reason) {
    }

    private record Event(long id, UUID notificationId, String status, Instant at, String reason, String detail, boolean automated,
                         long appId, String eventId, String userId, String channel, String category, String template, String campaign) {
    }

    private record Subscription(UUID id, long appId, List<String> events, Instant createdAt) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::appId).thenComparing(Key::hour)
            .thenComparing(Key::template).thenComparing(Key::campaign).thenComparing(Key::channel).thenComparing(Key::category)
            .thenComparing(Key::metric).thenComparing(Key::reason);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private volatile String campaignColumn;
    private final java.time.Clock clock;

    public PostgresEngagementAggregator(JdbcTemplate jdbc, TransactionTemplate tx, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    private String campaignColumn() {
        if (campaignColumn != null) return campaignColumn;
        // campaigns may add notifications.campaign_id; until then every notification is outside any campaign
        Boolean has = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM information_schema.columns
                               WHERE table_schema = current_schema() AND table_name = 'notifications' AND column_name = 'campaign_id')""",
                Boolean.class);
        campaignColumn = Boolean.TRUE.equals(has) ? "n.campaign_id::text" : "NULL::text";
        return campaignColumn;
    }

    /** @return how many events this batch folded (0 when nothing was pending) */
    @Override
    public int runOnce(int batch) {
        Integer n = tx.execute(s -> {
            // two statements, not one: as one, PostgreSQL planned the join for the LIMIT's row count (thousands) rather
            // than the few hundred taken, and hashed whole scans of notification_events and notifications on every
            // batch once they held tens of thousands of rows (auto_explain under load: 100-200 ms a batch against a
            // few ms; docs/benchmarks.md). An id array probes the primary keys whatever the tables' sizes
            List<Long> taken = jdbc.queryForList("""
                    DELETE FROM engagement_pending WHERE event_id = ANY(ARRAY(
                        SELECT event_id FROM engagement_pending ORDER BY event_id LIMIT ? FOR UPDATE SKIP LOCKED))
                    RETURNING event_id""", Long.class, batch);
            if (taken.isEmpty()) return 0;
            List<Event> events = jdbc.query(con -> {
                PreparedStatement ps = con.prepareStatement("""
                        SELECT e.id, e.notification_id, e.status, e.at, e.reason, e.detail, e.automated, n.app_id, n.event_id,
                               n.user_id, n.channel, n.category, n.template_key, %s
                        FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                        WHERE e.id = ANY(?::bigint[])
                        ORDER BY e.id""".formatted(campaignColumn()));
                ps.setArray(1, con.createArrayOf("bigint", taken.toArray()));
                return ps;
            }, (rs, i) -> new Event(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), instant(rs.getTimestamp(4)),
                    rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getLong(8), rs.getString(9), rs.getString(10),
                    rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14)));
            if (events.isEmpty()) return 0;
            upsertCounters(events);
            queueWebhooks(events);
            return events.size();
        });
        return n == null ? 0 : n;
    }

    /** The counter an event adds to: machines' opens and clicks apart from people's. */
    static String metric(String status, boolean automated) {
        return switch (status) {
            case "OPENED" -> automated ? "automatedOpens" : "opened";
            case "CLICKED" -> automated ? "automatedClicks" : "clicked";
            default -> status.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private void upsertCounters(List<Event> events) {
        Map<Key, Long> counts = new TreeMap<>(ORDER); // one order for every node: concurrent batches cannot deadlock
        for (Event e : events) {
            boolean withReason = e.status().equals("FAILED") || e.status().equals("SUPPRESSED");
            Key k = new Key(e.appId(), e.at().truncatedTo(ChronoUnit.HOURS), nz(e.template()), nz(e.campaign()), e.channel(),
                    nz(e.category()), metric(e.status(), e.automated()), withReason ? nz(e.reason()) : "");
            counts.merge(k, 1L, Long::sum);
        }
        int size = counts.size();
        Long[] apps = new Long[size];
        java.sql.Timestamp[] hours = new java.sql.Timestamp[size];
        String[][] text = new String[6][size];
        Long[] values = new Long[size];
        int i = 0;
        for (var c : counts.entrySet()) {
            Key k = c.getKey();
            apps[i] = k.appId();
            hours[i] = ts(k.hour());
            text[0][i] = k.template();
            text[1][i] = k.campaign();
            text[2][i] = k.channel();
            text[3][i] = k.category();
            text[4][i] = k.metric();
            text[5][i] = k.reason();
            values[i] = c.getValue();
            i++;
        }
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    """
                            INSERT INTO analytics_hourly (app_id, hour, template_key, campaign_id, channel, category, metric, reason, count)
                            SELECT * FROM unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                            ON CONFLICT (app_id, hour, template_key, campaign_id, channel, category, metric, reason)
                            DO UPDATE SET count = analytics_hourly.count + excluded.count""");
            ps.setArray(1, con.createArrayOf("bigint", apps));
            ps.setArray(2, con.createArrayOf("timestamptz", hours));
            for (int t = 0; t < 6; t++) ps.setArray(3 + t, con.createArrayOf("text", text[t]));
            ps.setArray(9, con.createArrayOf("bigint", values));
            return ps;
        });
    }

    private void queueWebhooks(List<Event> events) {
        Long[] appIds = events.stream().map(Event::appId).distinct().toArray(Long[]::new);
        Map<Long, List<Subscription>> byApp = new HashMap<>();
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "SELECT id, app_id, events, created_at FROM webhook_subscriptions WHERE app_id = ANY(?) AND deleted_at IS NULL");
            ps.setArray(1, con.createArrayOf("bigint", appIds));
            return ps;
        }, rs -> {
            var sub = new Subscription(rs.getObject(1, UUID.class), rs.getLong(2), List.of((String[]) rs.getArray(3).getArray()),
                    instant(rs.getTimestamp(4)));
            byApp.computeIfAbsent(sub.appId(), k -> new ArrayList<>()).add(sub);
        });
        if (byApp.isEmpty()) return;
        List<Object[]> rows = new ArrayList<>();
        for (Event e : events) {
            var type = WebhookEventType.ofHistory(e.status()).orElse(null);
            if (type == null || e.automated()) continue;
            String payload = null;
            for (Subscription s : byApp.getOrDefault(e.appId(), List.of())) {
                if (!s.events().contains(type.apiName()) || e.at().isBefore(s.createdAt().minusSeconds(1))) continue;
                if (payload == null) payload = payload(type, e);
                // deterministic id: the same event for the same endpoint is one message, whatever is retried or replayed
                rows.add(new Object[]{"msg_" + e.id() + "_" + s.id().toString().replace("-", ""), s.id(), e.appId(), type.apiName(),
                        payload});
            }
        }
        if (rows.isEmpty()) return;
        Instant now = clock.instant();
        jdbc.batchUpdate("""
                INSERT INTO webhook_deliveries (id, subscription_id, app_id, event_type, payload, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?) ON CONFLICT (id) DO NOTHING""", rows, 500, (ps, r) -> {
            for (int c = 0; c < 5; c++) ps.setObject(c + 1, r[c]);
            ps.setTimestamp(6, ts(now));
            ps.setTimestamp(7, ts(now));
        });
    }

    private static String payload(WebhookEventType type, Event e) {
        ObjectNode root = JsonCodec.MAPPER.createObjectNode();
        root.put("type", type.apiName());
        root.put("timestamp", e.at().toString());
        ObjectNode data = root.putObject("data");
        data.put("id", e.notificationId().toString());
        data.put("eventId", e.eventId());
        if (e.userId() != null) data.put("userId", e.userId());
        data.put("channel", e.channel());
        data.put("status", e.status());
        if (e.reason() != null) data.put("reason", e.reason());
        if (e.detail() != null) data.put("detail", e.detail());
        if (e.category() != null) data.put("category", e.category());
        if (e.template() != null) data.put("template", e.template());
        data.put("at", e.at().toString());
        return JsonCodec.MAPPER.writeValueAsString(root);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
