package io.herald.postgres;

import io.herald.core.intake.NewNotification;
import io.herald.core.intake.NotificationStore.Accepted;
import io.herald.core.intake.SendReceipt;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.model.TargetLookup;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.core.trace.NotificationTraces.Filter;
import io.herald.core.trace.NotificationTraces.NotificationView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V30: a delivery's updates of its notification (claim, outcome) change no indexed column, so PostgreSQL can keep them
 * on the page without new index entries (HOT); the status search still finds every status, the uncommon ones through
 * their own index; receipts find their notification through a key only providers that send receipts get.
 */
class HotDeliveryUpdatesTest {

    private static final Instant T0 = Instant.parse("2030-06-01T10:00:00Z");
    /** Every column the claim and a SENT outcome write (PostgresDeliveryQueue). */
    private static final List<String> DELIVERY_COLUMNS = List.of("status", "attempts", "updated_at", "reason", "detail", "provider",
            "provider_message_id", "first_claimed_at", "first_claim_seq");

    private static PostgresFixture db;
    private static PostgresNotificationStore store;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("hot_updates");
        store = new PostgresNotificationStore(db.jdbc, db.tx,
                new TargetLookup("hot-delivery-updates-test-key".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void noIndexOfNotificationsReadsAColumnADeliveryWrites() {
        List<String> indexes = db.jdbc.queryForList(
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'notifications'::regclass", String.class);
        assertThat(indexes).hasSizeGreaterThan(5);
        for (String column : DELIVERY_COLUMNS) {
            Pattern word = Pattern.compile("\\b" + column + "\\b"); // uncommon_status is one word: not a match for status
            assertThat(indexes).as(column).noneMatch(def -> word.matcher(def).find());
        }
    }

    @Test
    void theClaimAndTheOutcomeOfAFreshRowAreHotUpdates() {
        UUID id = write(db.appId, T0);
        // pg_stat_xact_ counts at once what this backend has not yet reported (this transaction, and maybe earlier
        // ones): the difference inside one transaction is this transaction's
        Long hot = db.tx.execute(t -> {
            long before = hotUpdates();
            db.jdbc.update("UPDATE notifications SET status = 'SENDING', attempts = attempts + 1, updated_at = now(), "
                    + "first_claimed_at = now(), first_claim_seq = 7 WHERE id = ?", id);
            db.jdbc.update("UPDATE notifications SET status = 'SENT', provider = 'mail', provider_message_id = 'm-1', "
                    + "updated_at = now() WHERE id = ?", id);
            return hotUpdates() - before;
        });
        assertThat(hot).isEqualTo(2);
    }

    private static long hotUpdates() {
        Long n = db.jdbc.queryForObject("SELECT n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relid = 'notifications'::regclass",
                Long.class);
        return n == null ? 0 : n;
    }

    @Test
    void onlyASendWhoseProviderSendsReceiptsKeepsAKeyForThem() {
        UUID bySms = write(db.appId, T0);
        UUID bySandbox = write(db.appId, T0);
        List<ClaimedDelivery> claimed = db.queue.claim(new WorkQueue(Channel.EMAIL, null), Priority.NORMAL, 10, Duration.ofSeconds(30),
                "w", T0);
        ClaimedDelivery sms = claimed.stream().filter(d -> d.id().equals(bySms)).findFirst().orElseThrow();
        ClaimedDelivery sandbox = claimed.stream().filter(d -> d.id().equals(bySandbox)).findFirst().orElseThrow();
        assertThat(db.queue.apply(List.of(Transition.sent(sms, "twilio", "SM-" + bySms, true, T0),
                Transition.sent(sandbox, "sandbox", "sb-" + bySandbox, false, T0)))).as("none fenced").isEmpty();

        assertThat(db.jdbc.queryForList("SELECT notification_id FROM provider_messages WHERE notification_id IN (?, ?)", UUID.class,
                bySms, bySandbox)).containsExactly(bySms);
        assertThat(db.queries.delivered("twilio", "SM-" + bySms, T0.plusSeconds(5), "twilio: delivered")).isTrue();
        assertThat(db.queries.get(db.appId, bySms).orElseThrow().status()).isEqualTo(Status.DELIVERED);
        assertThat(db.queries.delivered("sandbox", "sb-" + bySandbox, T0.plusSeconds(5), null)).as("no receipts expected").isFalse();
        NotificationView sent = db.queries.get(db.appId, bySandbox).orElseThrow();
        assertThat(sent.status()).isEqualTo(Status.SENT);
        assertThat(sent.providerMessageId()).as("still shown in the trace").isEqualTo("sb-" + bySandbox);
    }

    @Test
    void theStatusSearchFindsEveryStatusTheUncommonOnesThroughTheirIndex() {
        long app = db.apps.create("search-" + db.schema, "hash", "search", List.of(), T0).orElseThrow(); // this test's rows only
        Map<Status, UUID> byStatus = new EnumMap<>(Status.class);
        int second = 0;
        for (Status s : Status.values()) {
            UUID id = write(app, T0.plusSeconds(++second));
            db.jdbc.update("UPDATE notifications SET status = ? WHERE id = ?", s.name(), id);
            byStatus.put(s, id);
        }
        for (Status s : Status.values()) {
            List<NotificationView> found = db.queries.search(app, new Filter(null, null, s, null, null, null, null, null, 10));
            assertThat(found).as(s.name()).extracting(NotificationView::id).containsExactly(byStatus.get(s));
        }
        db.jdbc.execute("ANALYZE notifications");
        db.tx.executeWithoutResult(t -> {
            // a table this small is cheapest to scan whole; what matters is that the index serves
            db.jdbc.execute("SET LOCAL enable_seqscan = off");
            db.jdbc.execute("SET LOCAL enable_bitmapscan = off");
            assertThat(plan("SELECT id FROM notifications WHERE app_id = " + app + " AND uncommon_status = 'FAILED' "
                    + "ORDER BY created_at DESC, id DESC LIMIT 10")).contains("notifications_app_uncommon_status");
        });
        assertThat(db.jdbc.queryForObject("SELECT count(*) FROM notifications WHERE app_id = ? AND uncommon_status IS NOT NULL", Long.class,
                app))
                .as("all but QUEUED, SENDING and SENT").isEqualTo(7);
    }

    private static String plan(String sql) {
        return String.join("\n", db.jdbc.queryForList("EXPLAIN (COSTS OFF) " + sql, String.class));
    }

    private static UUID write(long appId, Instant at) {
        UUID id = UUID.randomUUID();
        String eventId = "e-" + id;
        NewNotification n = new NewNotification(id, appId, eventId, "u1", Channel.EMAIL, Priority.NORMAL, "transactional", null, null,
                new Target.Email("u1@example.com"), new Content(null, null, "Hello", null, "Hi", null, null), Status.QUEUED, null, null, at,
                null, at, null);
        store.acceptAll(List.of(new Accepted(appId, new SendReceipt(eventId, List.of(n.receiptItem())), List.of(n))));
        return id;
    }
}
