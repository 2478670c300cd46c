package io.herald.postgres;

import io.herald.core.intake.NewNotification;
import io.herald.core.intake.NotificationStore.Accepted;
import io.herald.core.model.Content;
import io.herald.core.model.Status;
import io.herald.core.model.TargetLookup;
import io.herald.core.queue.WorkQueue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.herald.postgres.Sql.name;

/**
 * The intake write as ONE statement over unnest'ed column arrays: receipts (optionally), notifications (with their first
 * history event when it is QUEUED or SCHEDULED), queue entries and the other first history events. A row handed to a lane
 * of this process ({@code LaneHandoff}) is stored as that lane's claim would leave it: SENDING at attempt 1, its entry
 * leased to the lane until {@code leased_until}, its SENDING event written. Workers in other
 * processes are told after the commit ({@link PostgresWorkAnnouncer}), not by a notify in this statement, which would
 * hold PostgreSQL's notify lock until the commit is on disk. One statement is one round trip and,
 * in autocommit, one transaction whatever the number of rows: the statement-per-row batches it replaces cost
 * PostgreSQL a parse, plan and executor start-up per row and per table (docs/benchmarks.md).
 */
final class IntakeRows {

    private static final String INPUT = """
            unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[],
                   ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                   ?::timestamptz[], ?::text[], ?::text[], ?::uuid[], ?::bool[], ?::text[], ?::text[], ?::timestamptz[])
              AS t(id, app_id, event_id, user_id, channel, priority, category, template_key, template_version, target,
                   target_masked, content, status, reason, detail, due_at, expires_at, created_at, queue, target_hash,
                   broadcast_id, queued, send_key, lease_owner, leased_until)""";

    /**
     * Rows whose first history event is kept on the notification row (V23): waiting states without a reason. Outcomes
     * at intake (SUPPRESSED, FAILED) stay event rows, for the trigger that feeds analytics and status webhooks.
     */
    private static final String FOLDED = "status IN ('QUEUED', 'SCHEDULED') AND reason IS NULL";
    // A handed-off row's SENDING event (attempt 1, at created_at) is on the row too (V28, column handed_off), after it.

    private static final String WRITES = """
            n AS (
                INSERT INTO notifications (id, app_id, event_id, user_id, channel, priority, category, template_key,
                    template_version, target, target_masked, content, status, reason, detail, attempts, send_at,
                    expires_at, created_at, updated_at, queue, target_hash, broadcast_id, campaign_id, first_status,
                    first_detail, handed_off)
                SELECT id, app_id, event_id, user_id, channel, priority, category, template_key, template_version,
                    target::jsonb, target_masked, content::jsonb, CASE WHEN lease_owner IS NULL THEN status ELSE 'SENDING' END,
                    reason, detail, CASE WHEN lease_owner IS NULL THEN 0 ELSE 1 END,
                    CASE WHEN status = 'SCHEDULED' THEN due_at END, expires_at, created_at, created_at, queue, target_hash,
                    broadcast_id, %%s, CASE WHEN %1$s THEN status END, CASE WHEN %1$s THEN detail END,
                    CASE WHEN lease_owner IS NOT NULL AND %1$s THEN true END
                FROM input),
            q AS (
                INSERT INTO queue_entries (notification_id, queue, priority, state, available_at, expires_at, enqueued_at,
                    lease_owner)
                SELECT id, queue, priority, CASE WHEN status = 'SCHEDULED' THEN 'SCHEDULED' ELSE 'READY' END,
                    COALESCE(leased_until, due_at), expires_at, created_at, lease_owner
                FROM input WHERE queued),
            e AS (
                INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail)
                SELECT id, status, created_at, 0, reason, detail FROM input WHERE NOT (%1$s)
                UNION ALL
                SELECT id, 'SENDING', created_at, 1, NULL, NULL FROM input WHERE lease_owner IS NOT NULL AND NOT (%1$s))"""
            .formatted(IntakeRows.FOLDED);

    /** Inserts the receipts first; only the rows of sends whose receipt was new follow; answers the new keys. */
    static final String WITH_RECEIPTS = """
            WITH won AS (
                INSERT INTO send_requests (app_id, event_id, response, created_at)
                SELECT a, e, r::jsonb, now() FROM unnest(?::bigint[], ?::text[], ?::text[]) AS t(a, e, r)
                ON CONFLICT DO NOTHING RETURNING app_id, event_id),
            input AS (
                SELECT t.* FROM %s
                WHERE EXISTS (SELECT 1 FROM won WHERE won.app_id = t.app_id AND won.event_id = t.send_key)),
            %s
            SELECT app_id, event_id FROM won""".formatted(IntakeRows.INPUT,
            IntakeRows.WRITES.formatted("NULL::uuid"));

    /** The rows alone (a broadcast page, inside the caller's transaction). */
    static final String ROWS_ONLY = """
            WITH input AS (SELECT t.* FROM %s),
            %s
            SELECT 1""".formatted(IntakeRows.INPUT, IntakeRows.WRITES.formatted("?::uuid"));

    /** ROWS_ONLY's campaign parameter, after its 25 row arrays: the campaign of every row, or null. */
    static final int CAMPAIGN_PARAMETER = 26;

    private IntakeRows() {
    }

    /**
     * @param sql   {@link #WITH_RECEIPTS} or {@link #ROWS_ONLY}
     * @param sends the sends whose receipts to insert (distinct keys; ignored by ROWS_ONLY)
     * @param rows  the notifications (of those sends, for WITH_RECEIPTS)
     */
    static PreparedStatement statement(Connection con, String sql, List<Accepted> sends, List<NewNotification> rows,
                                       TargetLookup lookup)
            throws SQLException {
        PreparedStatement ps = con.prepareStatement(sql);
        int p = 1;
        if (sql.equals(WITH_RECEIPTS)) {
            Long[] apps = new Long[sends.size()];
            String[] events = new String[sends.size()], responses = new String[sends.size()];
            for (int i = 0; i < sends.size(); i++) {
                apps[i] = sends.get(i).appId();
                events[i] = sends.get(i).receipt().eventId();
                responses[i] = JsonCodec.receipt(sends.get(i).receipt());
            }
            ps.setArray(p++, con.createArrayOf("bigint", apps));
            ps.setArray(p++, con.createArrayOf("text", events));
            ps.setArray(p++, con.createArrayOf("text", responses));
        }
        int n = rows.size();
        UUID[] ids = new UUID[n], broadcasts = new UUID[n];
        Long[] apps = new Long[n];
        Integer[] versions = new Integer[n];
        Boolean[] queued = new Boolean[n];
        String[][] text = new String[17][n];
        String[] leaseOwners = new String[n], leasedUntil = new String[n];
        // a broadcast page's rows share their content (rendered once per locale) and their times: each is written
        // once per statement, not once per row (content JSON was 7.5% of a fan-out's server CPU, JFR)
        Map<Content, String> contents = new IdentityHashMap<>();
        Function<Instant, String> iso = new LastOf<>(Instant::toString);
        for (int i = 0; i < n; i++) {
            NewNotification r = rows.get(i);
            ids[i] = r.id();
            apps[i] = r.appId();
            versions[i] = r.templateVersion();
            broadcasts[i] = r.broadcastId();
            queued[i] = r.queued();
            String[] t = {r.eventId(), r.userId(), r.channel().name(), r.priority().name(), r.category(), r.templateKey(),
                    JsonCodec.target(r.target()), r.target() == null ? null : r.target().masked(),
                    contents.computeIfAbsent(r.content(), JsonCodec::content),
                    r.status().name(), name(r.reason()), r.detail(), iso.apply(r.dueAt()), iso.apply(r.expiresAt()),
                    iso.apply(r.createdAt()),
                    r.target() == null ? null : WorkQueue.of(r.target()).name(),
                    lookup == null || r.target() == null ? null : lookup.of(r.target())};
            for (int c = 0; c < t.length; c++) text[c][i] = t[c];
            if (r.handoff() != null) {
                leaseOwners[i] = r.handoff().owner();
                leasedUntil[i] = r.handoff().until().toString();
            }
        }
        // the receipt key of each row's send: a broadcast row's eventId is its recipient's, not the send's
        String[] sendKeys = new String[n];
        int row = 0;
        for (Accepted a : sends) {
            for (int k = 0; k < a.notifications().size(); k++) sendKeys[row++] = a.receipt().eventId();
        }
        ps.setArray(p++, con.createArrayOf("uuid", ids));
        ps.setArray(p++, con.createArrayOf("bigint", apps));
        for (int c = 0; c < 6; c++) ps.setArray(p++, con.createArrayOf("text", text[c]));
        ps.setArray(p++, con.createArrayOf("int4", versions));
        for (int c = 6; c < 17; c++) ps.setArray(p++, con.createArrayOf("text", text[c]));
        ps.setArray(p++, con.createArrayOf("uuid", broadcasts));
        ps.setArray(p++, con.createArrayOf("bool", queued));
        ps.setArray(p++, con.createArrayOf("text", sendKeys));
        ps.setArray(p++, con.createArrayOf("text", leaseOwners));
        ps.setArray(p, con.createArrayOf("text", leasedUntil));
        return ps;
    }

    /** A function that remembers its last argument and answer: rows in a row often repeat a value. Null stays null. */
    private static final class LastOf<T, R> implements Function<T, R> {
        private final Function<T, R> f;
        private T last;
        private R answer;

        LastOf(Function<T, R> f) {
            this.f = f;
        }

        @Override
        public R apply(T t) {
            if (t == null) return null;
            if (!t.equals(last)) {
                answer = f.apply(t);
                last = t;
            }
            return answer;
        }
    }
}
