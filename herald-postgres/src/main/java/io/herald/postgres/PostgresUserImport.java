package io.herald.postgres;

import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.user.ImportedUser;
import io.herald.core.user.UserImport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.herald.postgres.Sql.ts;

/**
 * Bulk import in one transaction of four statements whatever the batch size (users, devices, topics, subscriptions),
 * each a multi-row INSERT over unnest'ed arrays, so a million users is a thousand round trips of four statements.
 */
public final class PostgresUserImport implements UserImport {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresUserImport(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public List<Boolean> importUsers(long appId, List<ImportedUser> users, Instant now) {
        if (users.isEmpty()) return List.of();
        return tx.execute(s -> {
            Set<String> created = upsertUsers(appId, users, now);
            upsertDevices(appId, users, now);
            subscribe(appId, users, now);
            return users.stream().map(u -> created.contains(u.userId())).toList();
        });
    }

    private Set<String> upsertUsers(long appId, List<ImportedUser> users, Instant now) {
        int n = users.size();
        String[] ids = new String[n], emails = new String[n], phones = new String[n], locales = new String[n], zones = new String[n],
                attrs = new String[n];
        for (int i = 0; i < n; i++) {
            ImportedUser u = users.get(i);
            ids[i] = u.userId();
            emails[i] = u.email();
            phones[i] = u.phone();
            locales[i] = u.locale();
            zones[i] = u.timezone();
            attrs[i] = JsonCodec.MAPPER.writeValueAsString(u.attributes());
        }
        Set<String> created = new java.util.HashSet<>();
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement(
                    """
                            INSERT INTO users (app_id, user_id, email, phone, locale, timezone, attributes, created_at, updated_at)
                            SELECT ?, u, e, p, l, z, a::jsonb, ?, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t(u, e, p, l, z, a)
                            ON CONFLICT (app_id, user_id) DO UPDATE SET email = excluded.email, phone = excluded.phone,
                                locale = excluded.locale, timezone = excluded.timezone, attributes = excluded.attributes,
                                updated_at = excluded.updated_at
                            RETURNING user_id, (xmax = 0)""");
            ps.setLong(1, appId);
            ps.setTimestamp(2, ts(now));
            ps.setTimestamp(3, ts(now));
            ps.setArray(4, con.createArrayOf("text", ids));
            ps.setArray(5, con.createArrayOf("text", emails));
            ps.setArray(6, con.createArrayOf("text", phones));
            ps.setArray(7, con.createArrayOf("text", locales));
            ps.setArray(8, con.createArrayOf("text", zones));
            ps.setArray(9, con.createArrayOf("text", attrs));
            return ps;
        }, rs -> {
            if (rs.getBoolean(2)) created.add(rs.getString(1));
        });
        return created;
    }

    private void upsertDevices(long appId, List<ImportedUser> users, Instant now) {
        // one row per (platform, address): the same token under two users of one batch goes to the last (it changed hands)
        Map<String, Map.Entry<String, Target.Device>> byAddress = new LinkedHashMap<>();
        for (ImportedUser u : users) {
            for (Target.Device d : u.devices()) byAddress.put(d.platform() + "\u0000" + address(d), Map.entry(u.userId(), d));
        }
        if (byAddress.isEmpty()) return;
        int n = byAddress.size(), i = 0;
        UUID[] ids = new UUID[n];
        String[] owners = new String[n], platforms = new String[n], addresses = new String[n], tokens = new String[n], subs = new String[n];
        for (Map.Entry<String, Target.Device> e : byAddress.values()) {
            Target.Device d = e.getValue();
            ids[i] = UUID.randomUUID();
            owners[i] = e.getKey();
            platforms[i] = d.platform().name();
            addresses[i] = address(d);
            tokens[i] = d.token();
            subs[i] = d.subscription() == null ? null : JsonCodec.subscription(d.subscription()).toString();
            i++;
        }
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    """
                            INSERT INTO devices (id, app_id, user_id, platform, address, token, subscription, active, registered_at)
                            SELECT id, ?, u, p, a, t, s::jsonb, TRUE, ? FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(id, u, p, a, t, s)
                            ON CONFLICT (app_id, platform, address) DO UPDATE SET user_id = excluded.user_id,
                                subscription = excluded.subscription, active = TRUE, deactivated_at = NULL,
                                registered_at = CASE WHEN devices.active AND devices.user_id = excluded.user_id
                                                     THEN devices.registered_at ELSE excluded.registered_at END""");
            ps.setLong(1, appId);
            ps.setTimestamp(2, ts(now));
            ps.setArray(3, con.createArrayOf("uuid", ids));
            ps.setArray(4, con.createArrayOf("text", owners));
            ps.setArray(5, con.createArrayOf("text", platforms));
            ps.setArray(6, con.createArrayOf("text", addresses));
            ps.setArray(7, con.createArrayOf("text", tokens));
            ps.setArray(8, con.createArrayOf("text", subs));
            return ps;
        });
    }

    private void subscribe(long appId, List<ImportedUser> users, Instant now) {
        Set<String> topics = new LinkedHashSet<>();
        List<String> keys = new ArrayList<>(), members = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (ImportedUser u : users) {
            for (String t : u.topics()) {
                topics.add(t);
                if (seen.putIfAbsent(t + "\u0000" + u.userId(), true) == null) {
                    keys.add(t);
                    members.add(u.userId());
                }
            }
        }
        if (topics.isEmpty()) return;
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    INSERT INTO topics (app_id, topic_key, name, created_at, updated_at)
                    SELECT ?, k, k, ?, ? FROM unnest(?::text[]) AS k ORDER BY k ON CONFLICT DO NOTHING""");
            ps.setLong(1, appId);
            ps.setTimestamp(2, ts(now));
            ps.setTimestamp(3, ts(now));
            ps.setArray(4, con.createArrayOf("text", topics.toArray()));
            return ps;
        });
        PostgresTopicStore.insertSubscribers(jdbc, appId, keys, members, now);
    }

    static String address(Target.Device d) {
        return d.platform() == Platform.WEB ? d.subscription().endpoint() : d.token();
    }
}
