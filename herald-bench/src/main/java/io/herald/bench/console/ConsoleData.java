package io.herald.bench.console;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Fills the server's schema (created by its own migrations) with a production-sized history, by SQL rather than
 * through the API: three apps (70/20/10% of the traffic) with their users, {@code n} notifications spread over 30
 * days (denser towards now) across channels and statuses, two to three history events each, dead letters, a few
 * scheduled ones with their queue entries, and audit entries. Templates are made through the API by the caller.
 *
 * <p>target_hash is the server's HMAC of the normalised target (io.herald.core.model.TargetLookup, repeated here so
 * the shaded bench jar needs no server classes): the bench passes the same key to the server, so a search by
 * address finds these rows.
 */
final class ConsoleData {

    static final String[] APPS = {"bench-shop", "bench-bank", "bench-games"};

    private final Connection con;
    private final SecretKeySpec lookupKey;

    ConsoleData(Connection con, String lookupKey) {
        this.con = con;
        this.lookupKey = new SecretKeySpec(lookupKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    boolean filled() throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT count(*) FROM apps WHERE app_key = ?")) {
            ps.setString(1, APPS[0]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** One transaction: a fill that fails leaves nothing behind, so the next run fills again. */
    void fill(int notifications, int users, int auditEntries) throws SQLException {
        con.setAutoCommit(false);
        long t0 = System.nanoTime();
        exec("""
                INSERT INTO apps (app_key, secret_hash, name, scopes, created_at)
                SELECT k, 'no-login:bench data', initcap(replace(k, '-', ' ')), ARRAY['read', 'send', 'users'], now() - interval '90 days'
                FROM unnest(?::text[]) k""", (Object) APPS);
        // users of each app in proportion to its traffic; their contacts' lookup hashes are computed here (HMAC)
        exec("CREATE TEMP TABLE bench_users (app_idx INT, n INT, user_id TEXT, email TEXT, phone TEXT, email_hash TEXT, phone_hash TEXT, inbox_hash TEXT, PRIMARY KEY (app_idx, n))");
        int[] perApp = {users * 7 / 10, users * 2 / 10, users - users * 7 / 10 - users * 2 / 10};
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO bench_users VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int a = 0; a < APPS.length; a++) {
                for (int n = 0; n < perApp[a]; n++) {
                    String userId = "u-" + n, email = "user" + n + "@" + APPS[a].substring(6) + ".example.com";
                    String phone = String.format(Locale.ROOT, "+1415%07d", a * 1_000_000 + n);
                    ps.setInt(1, a);
                    ps.setInt(2, n);
                    ps.setString(3, userId);
                    ps.setString(4, email);
                    ps.setString(5, phone);
                    ps.setString(6, hmac("email:" + email));
                    ps.setString(7, hmac("phone:" + phone));
                    ps.setString(8, hmac("inbox:" + userId));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        exec("""
                INSERT INTO users (app_id, user_id, email, phone, locale, timezone, attributes, preferences, created_at, updated_at)
                SELECT a.id, u.user_id, u.email, u.phone, 'en-US', 'Europe/Berlin', jsonb_build_object('plan', CASE WHEN u.n % 5 = 0 THEN 'pro' ELSE 'free' END),
                       '{}'::jsonb, now() - interval '60 days', now() - interval '1 day'
                FROM bench_users u JOIN apps a ON a.app_key = (?::text[])[u.app_idx + 1]""",
                (Object) APPS);
        exec("""
                INSERT INTO devices (id, app_id, user_id, platform, address, token, active, registered_at)
                SELECT gen_random_uuid(), a.id, u.user_id, p, 'tok-' || p || '-' || u.app_idx || '-' || u.n, 'tok-' || p || '-' || u.app_idx || '-' || u.n,
                       TRUE, now() - interval '30 days'
                FROM bench_users u JOIN apps a ON a.app_key = (?::text[])[u.app_idx + 1]
                CROSS JOIN LATERAL (SELECT (ARRAY['IOS', 'ANDROID'])[1 + u.n % 2] AS p) d""",
                (Object) APPS);
        // one row per notification: app 70/20/10%; user skewed (a few heavy users); channel EMAIL 35%, PUSH 35%, SMS 10%,
        // IN_APP 20%; age skewed towards now over 30 days; statuses mostly SENT/DELIVERED, some FAILED (a tenth of
        // those dead letters), SUPPRESSED, CANCELLED, EXPIRED; eventIds shared by two channels
        exec("""
                CREATE TEMP TABLE bench_plan AS
                SELECT g, app_idx, floor(power(random(), 2) * (?::int[])[app_idx + 1])::int AS user_n,
                       CASE WHEN g % 20 < 7 THEN 'EMAIL' WHEN g % 20 < 14 THEN 'PUSH' WHEN g % 20 < 16 THEN 'SMS' ELSE 'IN_APP' END AS channel,
                       random() AS r, now() - interval '30 days' * power(random(), 2) AS created_at
                FROM (SELECT g, CASE WHEN g % 10 < 7 THEN 0 WHEN g % 10 < 9 THEN 1 ELSE 2 END AS app_idx
                      FROM generate_series(1, ?) g) s""",
                perApp, notifications);
        exec("""
                INSERT INTO notifications (id, app_id, event_id, user_id, channel, priority, category, template_key, template_version, target,
                                           target_masked, target_hash, content, status, reason, detail, attempts, provider, provider_message_id,
                                           send_at, dead_lettered_at, queue, created_at, updated_at)
                SELECT gen_random_uuid(), a.id, 'evt-' || (p.g / 2), u.user_id, p.channel,
                       CASE WHEN p.g % 7 = 0 THEN 'HIGH' WHEN p.g % 7 = 1 THEN 'LOW' ELSE 'NORMAL' END,
                       CASE WHEN p.g % 3 = 0 THEN 'marketing' ELSE 'transactional' END,
                       CASE WHEN p.g % 2 = 0 THEN 'tpl-' || (p.g % 40) END, CASE WHEN p.g % 2 = 0 THEN 1 END,
                       CASE p.channel WHEN 'EMAIL' THEN jsonb_build_object('type', 'EMAIL', 'address', u.email)
                                      WHEN 'SMS' THEN jsonb_build_object('type', 'PHONE', 'address', u.phone)
                                      WHEN 'IN_APP' THEN jsonb_build_object('type', 'INBOX', 'userId', u.user_id)
                                      ELSE jsonb_build_object('type', 'DEVICE', 'platform', pf, 'token', 'tok-' || pf || '-' || u.app_idx || '-' || u.n) END,
                       CASE p.channel WHEN 'EMAIL' THEN left(u.email, 2) || '***@' || split_part(u.email, '@', 2)
                                      WHEN 'SMS' THEN '+1415***' || right(u.phone, 2) WHEN 'IN_APP' THEN 'inbox:' || u.user_id
                                      ELSE pf || ' tok-…' || right(u.n::text, 3) END,
                       CASE p.channel WHEN 'EMAIL' THEN u.email_hash WHEN 'SMS' THEN u.phone_hash WHEN 'IN_APP' THEN u.inbox_hash END,
                       jsonb_build_object('title', 'Order ' || p.g || ' is on its way', 'body', 'Your order ' || p.g || ' ships today',
                                          'subject', 'Order ' || p.g, 'text', 'Your order ' || p.g || ' ships today. Track it in the app.'),
                       st.status, st.reason, CASE WHEN st.reason IS NOT NULL THEN 'provider said: ' || lower(st.reason) END,
                       CASE WHEN st.status IN ('SUPPRESSED', 'CANCELLED', 'SCHEDULED') THEN 0 WHEN st.status = 'FAILED' THEN 1 + p.g % 5 ELSE 1 END,
                       CASE WHEN st.status IN ('SENT', 'DELIVERED', 'FAILED') THEN 'sandbox' END,
                       CASE WHEN st.status IN ('SENT', 'DELIVERED') THEN 'sb-' || p.g END,
                       CASE WHEN st.status = 'SCHEDULED' THEN now() + interval '1 day' END,
                       CASE WHEN st.dead THEN p.created_at + interval '20 minutes' END,
                       CASE WHEN st.dead OR st.status = 'SCHEDULED' THEN CASE WHEN p.channel = 'PUSH' THEN 'PUSH_' || pf ELSE p.channel END END,
                       p.created_at, p.created_at + interval '2 seconds'
                FROM bench_plan p
                JOIN apps a ON a.app_key = (?::text[])[p.app_idx + 1]
                JOIN bench_users u ON u.app_idx = p.app_idx AND u.n = p.user_n
                CROSS JOIN LATERAL (SELECT (ARRAY['IOS', 'ANDROID'])[1 + u.n % 2] AS pf) d
                CROSS JOIN LATERAL (SELECT CASE WHEN p.r < 0.60 THEN 'SENT' WHEN p.r < 0.80 THEN 'DELIVERED' WHEN p.r < 0.89 THEN 'FAILED'
                                                WHEN p.r < 0.95 THEN 'SUPPRESSED' WHEN p.r < 0.98 THEN 'CANCELLED' WHEN p.r < 0.999 THEN 'EXPIRED'
                                                ELSE 'SCHEDULED' END AS status,
                                           CASE WHEN p.r >= 0.80 AND p.r < 0.89 THEN (ARRAY['INVALID_TARGET', 'REJECTED', 'RETRIES_EXHAUSTED'])[1 + p.g % 3]
                                                WHEN p.r >= 0.89 AND p.r < 0.95 THEN 'PREFERENCES' WHEN p.r >= 0.95 AND p.r < 0.98 THEN 'CANCELLED'
                                                WHEN p.r >= 0.98 AND p.r < 0.999 THEN 'EXPIRED' END AS reason,
                                           p.r >= 0.88 AND p.r < 0.89 AS dead) st""",
                (Object) APPS);
        exec("""
                INSERT INTO queue_entries (notification_id, queue, priority, state, available_at, enqueued_at)
                SELECT id, queue, priority, 'SCHEDULED', send_at, created_at FROM notifications WHERE status = 'SCHEDULED' AND queue IS NOT NULL""");
        // the history: QUEUED at intake, then the outcome (a retry before a failure; SENT before DELIVERED)
        exec("""
                INSERT INTO notification_events (notification_id, status, at, attempt, provider, reason, detail)
                SELECT n.id, e.status, n.created_at + e.after, e.attempt, CASE WHEN e.status <> 'QUEUED' THEN n.provider END, e.reason, e.detail
                FROM notifications n
                JOIN apps a ON a.id = n.app_id AND a.app_key = ANY (?::text[])
                CROSS JOIN LATERAL (VALUES (1, 'QUEUED', interval '0', NULL::int, NULL::text, NULL::text),
                                           (2, CASE WHEN n.status = 'FAILED' THEN 'RETRYING' WHEN n.status = 'DELIVERED' THEN 'SENT' ELSE n.status END,
                                            interval '300 milliseconds', 1, CASE WHEN n.status = 'FAILED' THEN 'TIMEOUT' ELSE n.reason END,
                                            CASE WHEN n.status = 'FAILED' THEN 'provider timed out' ELSE n.detail END),
                                           (3, n.status, interval '2 seconds', n.attempts, n.reason, n.detail)) e(k, status, after, attempt, reason, detail)
                WHERE n.status <> 'SCHEDULED' AND (e.k < 3 OR n.status IN ('FAILED', 'DELIVERED'))
                ORDER BY n.created_at""",
                (Object) APPS);
        exec("""
                INSERT INTO audit_log (at, actor, action, entity_type, entity_id, diff)
                SELECT now() - interval '60 days' * power(random(), 2), (ARRAY['alice', 'bob', 'carol', 'dave', 'admin'])[1 + g % 5],
                       (ARRAY['CREATE', 'UPDATE', 'PUBLISH', 'CANCEL', 'REQUEUE'])[1 + g % 5],
                       (ARRAY['template', 'template', 'notification', 'app', 'account'])[1 + g % 5], 'entity-' || (g % 500),
                       jsonb_build_object('n', g, 'note', 'bench entry')
                FROM generate_series(1, ?) g ORDER BY 1""", auditEntries);
        exec("DROP TABLE bench_plan");
        exec("DROP TABLE bench_users");
        exec("ANALYZE");
        con.commit();
        con.setAutoCommit(true);
        System.err.printf(Locale.ROOT, "console bench: filled %,d notifications in %.0f s%n", notifications,
                (System.nanoTime() - t0) / 1e9);
    }

    private void exec(String sql, Object... args) throws SQLException {
        long t0 = System.nanoTime();
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof String[] s) ps.setArray(i + 1, con.createArrayOf("text", s));
                else if (a instanceof int[] n) ps.setArray(i + 1, con.createArrayOf("int4", java.util.Arrays.stream(n).boxed().toArray()));
                else
                    ps.setObject(i + 1, a);
            }
            ps.execute();
        }
        System.err.printf(Locale.ROOT, "  %.1f s  %s%n", (System.nanoTime() - t0) / 1e9, sql.strip().lines().findFirst().orElse(""));
    }

    private String hmac(String normalised) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(lookupKey);
            return HexFormat.of().formatHex(mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
