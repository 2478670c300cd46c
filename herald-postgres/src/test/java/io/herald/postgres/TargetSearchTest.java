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
import io.herald.core.trace.NotificationTraces.Filter;
import io.herald.core.trace.NotificationTraces.NotificationView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Support's search by address: notifications of single sends by the index on the target's hash, broadcasts'
 * through the users who have the address now (V26), merged newest first, one page at a time.
 */
class TargetSearchTest {

    private static final TargetLookup LOOKUP = new TargetLookup("target-search-test-key".getBytes(StandardCharsets.UTF_8));
    private static final Instant T0 = Instant.parse("2030-05-01T10:00:00Z");

    private static PostgresFixture db;
    private static PostgresNotificationStore store;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("target_search");
        store = new PostgresNotificationStore(db.jdbc, db.tx, LOOKUP);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void findsSingleSendsAndBroadcastsToAnAddressNewestFirstPageByPage() {
        db.users.upsert(db.appId, "ada", "Ada@Example.com", "+14155550100", null, null, "{}", T0);
        db.users.upsert(db.appId, "bob", "bob@example.com", null, null, null, "{}", T0);
        UUID broadcast = UUID.randomUUID();
        UUID single1 = write("ada", new Target.Email("Ada@Example.com"), null, T0.plusSeconds(1));
        UUID fromBroadcast1 = write("ada", new Target.Email("Ada@Example.com"), broadcast, T0.plusSeconds(2));
        UUID single2 = write("ada", new Target.Email("ada@example.com"), null, T0.plusSeconds(3));
        UUID fromBroadcast2 = write("ada", new Target.Email("Ada@Example.com"), broadcast, T0.plusSeconds(4));
        write("bob", new Target.Email("bob@example.com"), broadcast, T0.plusSeconds(5)); // another address
        UUID sms = write("ada", new Target.Phone("+14155550100"), broadcast, T0.plusSeconds(6));

        // typed otherwise (spaces, capitals): both branches, merged newest first
        assertThat(search(" ADA@example.com ", 10, null)).containsExactly(fromBroadcast2, single2, fromBroadcast1, single1);
        assertThat(search("+1 (415) 555-0100", 10, null)).containsExactly(sms);
        // pages of two: the cursor is applied to both branches
        List<NotificationView> first = db.queries.search(db.appId, filter("ada@example.com", 2, null));
        assertThat(first).extracting(NotificationView::id).containsExactly(fromBroadcast2, single2);
        assertThat(search("ada@example.com", 2, first.getLast())).containsExactly(fromBroadcast1, single1);
        // other filters apply to both branches
        assertThat(db.queries.search(db.appId, new Filter("ada", null, Status.QUEUED, Channel.EMAIL, T0.plusSeconds(2), T0.plusSeconds(4),
                null, null, 10, LOOKUP.typed("ada@example.com").orElseThrow())).stream().map(NotificationView::id))
                .containsExactly(single2, fromBroadcast1);
        // another app with the same user and address sees none of them
        long other = db.apps.create("other-" + db.schema, "hash", "other", List.of(), T0).orElseThrow();
        db.users.upsert(other, "ada", "ada@example.com", null, null, null, "{}", T0);
        assertThat(db.queries.search(other, filter("ada@example.com", 10, null))).isEmpty();
    }

    @Test
    void aBroadcastsNotificationIsFoundByAddressWhileItsRecipientHasThatAddress() {
        db.users.upsert(db.appId, "cy", "cy@example.com", null, null, null, "{}", T0);
        UUID single = write("cy", new Target.Email("cy@example.com"), null, T0.plusSeconds(1));
        UUID fromBroadcast = write("cy", new Target.Email("cy@example.com"), UUID.randomUUID(), T0.plusSeconds(2));
        assertThat(search("cy@example.com", 10, null)).containsExactly(fromBroadcast, single);
        // the documented limit (docs/architecture.md): after a change of address only the single send is found by the
        // old one; the broadcast's is still found by user
        db.users.upsert(db.appId, "cy", "cy@new.example.com", null, null, null, "{}", T0.plusSeconds(3));
        assertThat(search("cy@example.com", 10, null)).containsExactly(single);
        assertThat(db.queries.search(db.appId, new Filter("cy", null, null, null, null, null, null, null, 10)))
                .extracting(NotificationView::id).containsExactly(fromBroadcast, single);
    }

    @Test
    void bothBranchesReadAnIndexNeverTheWholeTable() {
        db.jdbc.execute("ANALYZE notifications");
        db.jdbc.execute("ANALYZE users");
        // one transaction, so the setting and the EXPLAINs share a connection; SET LOCAL ends with it
        db.tx.executeWithoutResult(t -> {
            db.jdbc.execute("SET LOCAL enable_seqscan = off"); // on tables this small a scan is cheapest; what matters is that an index can serve
            assertThat(plan("SELECT id FROM notifications WHERE app_id = 1 AND target_hash = 'x' AND broadcast_id IS NULL "
                    + "ORDER BY created_at DESC LIMIT 10")).contains("notifications_target_hash");
            assertThat(plan("SELECT user_id FROM users WHERE app_id = 1 AND lower(email) = 'x'")).contains("users_app_email");
            assertThat(plan("SELECT user_id FROM users WHERE app_id = 1 AND phone = '+1'")).contains("users_app_phone");
        });
    }

    private static String plan(String sql) {
        return String.join("\n", db.jdbc.queryForList("EXPLAIN (COSTS OFF) " + sql, String.class));
    }

    private UUID write(String user, Target target, UUID broadcast, Instant at) {
        UUID id = UUID.randomUUID();
        Channel channel = target instanceof Target.Phone ? Channel.SMS : Channel.EMAIL;
        String eventId = "e-" + id;
        NewNotification n = new NewNotification(id, db.appId, eventId, user, channel, Priority.NORMAL, "transactional", null, null, target,
                new Content(null, null, "Hello", null, "Hi", null, null), Status.QUEUED, null, null, at, null, at, broadcast);
        store.acceptAll(List.of(new Accepted(db.appId, new SendReceipt(eventId, List.of(n.receiptItem())), List.of(n))));
        return id;
    }

    private static Filter filter(String typed, int limit, NotificationView after) {
        return new Filter(null, null, null, null, null, null, after == null ? null : after.createdAt(), after == null ? null : after.id(),
                limit, LOOKUP.typed(typed).orElseThrow());
    }

    private static List<UUID> search(String typed, int limit, NotificationView after) {
        List<UUID> ids = new ArrayList<>();
        for (NotificationView v : db.queries.search(db.appId, filter(typed, limit, after))) ids.add(v.id());
        return ids;
    }
}
