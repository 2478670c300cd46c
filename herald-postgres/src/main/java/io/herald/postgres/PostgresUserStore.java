package io.herald.postgres;

import io.herald.core.dispatch.DeviceDeactivator;
import io.herald.core.intake.UserDirectory;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.model.WebPushSubscription;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/** Users, their contacts, devices and preference documents; every statement is scoped to one app. */
public final class PostgresUserStore implements UserDirectory, DeviceDeactivator, io.herald.core.user.UserAdmin {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PostgresUserStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    // UserRow and DeviceRow are UserAdmin's records

    /** @return true when the user was created, false when updated */
    public boolean upsert(long appId, String userId, String email, String phone, String locale, String timezone,
                          String attributesJson, Instant now) {
        Boolean created = jdbc.queryForObject("""
                INSERT INTO users (app_id, user_id, email, phone, locale, timezone, attributes, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, COALESCE(?::jsonb, '{}'::jsonb), ?, ?)
                ON CONFLICT (app_id, user_id) DO UPDATE SET email = excluded.email, phone = excluded.phone,
                    locale = excluded.locale, timezone = excluded.timezone, attributes = excluded.attributes,
                    updated_at = excluded.updated_at
                RETURNING (xmax = 0)""", Boolean.class, appId, userId, email, phone, locale, timezone, attributesJson, ts(now), ts(now));
        return Boolean.TRUE.equals(created);
    }

    public Optional<UserRow> get(long appId, String userId) {
        return jdbc.query("""
                SELECT user_id, email, phone, locale, timezone, attributes::text, preferences::text, created_at, updated_at
                FROM users WHERE app_id = ? AND user_id = ?""", (rs, i) -> new UserRow(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9))), appId, userId).stream().findFirst();
    }

    /**
     * Erases the user's contacts, devices, preferences and inbox, and cancels what still waits for them (CANCELLED, with the
     * reason in the history; their queue entries are removed). Delivery history stays, with personal data redacted.
     * A notification in flight right now keeps its lease; with its target gone, its next claim cancels it too.
     * @return false when there was no such user
     */
    public boolean erase(long appId, String userId, Instant now) {
        Boolean done = tx.execute(s -> {
            int n = jdbc.update("DELETE FROM users WHERE app_id = ? AND user_id = ?", appId, userId);
            if (n == 0) return false;
            // the entries first, as a claim locks them: one being claimed concurrently is skipped (leased, in flight)
            jdbc.update(
                    """
                            WITH gone AS (
                                DELETE FROM queue_entries q USING notifications n
                                WHERE n.id = q.notification_id AND n.app_id = ? AND n.user_id = ? AND q.lease_owner IS NULL
                                RETURNING q.notification_id),
                            upd AS (
                                UPDATE notifications n SET status = 'CANCELLED', reason = 'CANCELLED', detail = 'the recipient was erased', updated_at = ?
                                FROM gone WHERE n.id = gone.notification_id AND n.status IN ('SCHEDULED', 'QUEUED', 'RETRYING')
                                RETURNING n.id, n.attempts)
                            INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail)
                            SELECT id, 'CANCELLED', ?, attempts, 'CANCELLED', 'the recipient was erased' FROM upd""",
                    appId, userId, ts(now), ts(now));
            jdbc.update("DELETE FROM inbox_items WHERE app_id = ? AND user_id = ?", appId, userId);
            jdbc.update("""
                    UPDATE notifications SET target = NULL, target_masked = '[erased]', content = NULL, user_id = '[erased]'
                    WHERE app_id = ? AND user_id = ?""", appId, userId);
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** Creates the user row if needed, so an SDK can register a device before the user's profile is set. */
    public void ensureUser(long appId, String userId, Instant now) {
        jdbc.update("""
                INSERT INTO users (app_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", appId, userId, ts(now), ts(now));
    }

    /**
     * Registers a device. The same token again is idempotent; a token seen before under another user of the same
     * app moves to this user (the device changed hands) and is active again.
     * @return the device and whether it was new
     */
    public Map.Entry<DeviceRow, Boolean> registerDevice(long appId, String userId, Platform platform, String token,
                                                        WebPushSubscription subscription, Instant now) {
        return tx.execute(s -> {
            ensureUser(appId, userId, now);
            String address = platform == Platform.WEB ? subscription.endpoint() : token;
            String subJson = subscription == null ? null : JsonCodec.subscription(subscription).toString();
            Boolean created = jdbc.queryForObject("""
                    INSERT INTO devices (id, app_id, user_id, platform, address, token, subscription, active, registered_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, TRUE, ?)
                    ON CONFLICT (app_id, platform, address) DO UPDATE SET user_id = excluded.user_id,
                        subscription = excluded.subscription, active = TRUE, deactivated_at = NULL,
                        registered_at = CASE WHEN devices.active AND devices.user_id = excluded.user_id
                                             THEN devices.registered_at ELSE excluded.registered_at END
                    RETURNING (xmax = 0)""", Boolean.class, UUID.randomUUID(), appId, userId, platform.name(), address, token,
                    subJson, ts(now));
            DeviceRow row = jdbc.query(DEVICE_SELECT + " WHERE app_id = ? AND platform = ? AND address = ?", PostgresUserStore::device,
                    appId, platform.name(), address).getFirst();
            return Map.entry(row, Boolean.TRUE.equals(created));
        });
    }

    public List<DeviceRow> devices(long appId, String userId) {
        return jdbc.query(DEVICE_SELECT + " WHERE app_id = ? AND user_id = ? ORDER BY registered_at", PostgresUserStore::device, appId,
                userId);
    }

    public boolean deleteDevice(long appId, String userId, UUID deviceId) {
        return jdbc.update("DELETE FROM devices WHERE app_id = ? AND user_id = ? AND id = ?", appId, userId, deviceId) > 0;
    }

    /** @return false when there was no such user */
    public boolean savePreferences(long appId, String userId, String preferencesJson, Instant now) {
        return jdbc.update("UPDATE users SET preferences = ?::jsonb, updated_at = ? WHERE app_id = ? AND user_id = ?",
                preferencesJson, ts(now), appId, userId) > 0;
    }

    /**
     * Records an email opt-out in the user's preference document: for one category, or for email altogether.
     * @return false when there is no such user
     */
    public boolean optOutEmail(long appId, String userId, String category, Instant now) {
        String path = category == null ? "{channels,EMAIL}" : "{categories," + category.replace("}", "").replace(",", "") + ",EMAIL}";
        // jsonb_set cannot create two levels at once: make sure the channels or category object exists first
        return jdbc.update("""
                UPDATE users SET preferences = jsonb_set(
                    CASE WHEN ?::text IS NULL
                         THEN jsonb_set(preferences, ARRAY['channels'], COALESCE(preferences->'channels', '{}'::jsonb))
                         ELSE jsonb_set(preferences, ARRAY['categories'], COALESCE(preferences->'categories', '{}'::jsonb)
                              || jsonb_build_object(?::text, COALESCE(preferences->'categories'->?::text, '{}'::jsonb))) END,
                    ?::text[], 'false'::jsonb, true), updated_at = ?
                WHERE app_id = ? AND user_id = ?""", category, category, category, path, ts(now), appId, userId) > 0;
    }

    /** The same for every user of the app with that email address. @return how many users were updated */
    public int optOutEmailAddress(long appId, String address, String category, Instant now) {
        List<String> ids = jdbc.queryForList("SELECT user_id FROM users WHERE app_id = ? AND lower(email) = lower(?)", String.class, appId,
                address);
        int n = 0;
        for (String id : ids) if (optOutEmail(appId, id, category, now)) n++;
        return n;
    }

    @Override
    public Optional<io.herald.core.user.UserProfile> find(long appId, String userId) {
        return get(appId, userId).map(u -> profile(appId, u.userId(), u.email(), u.phone(), u.locale(), u.timezone(), u.preferencesJson()));
    }

    /** One statement: the user's row once per active device (oldest first), or once with no device. */
    @Override
    public Optional<io.herald.core.intake.Recipient> recipient(long appId, String userId) {
        List<Target.Device> devices = new java.util.ArrayList<>();
        io.herald.core.user.UserProfile[] user = {null};
        jdbc.query(RECIPIENT, rs -> {
            if (user[0] == null)
                user[0] = profile(appId, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6));
            if (rs.getObject(7) != null) devices.add(activeDevice(deviceAfter(rs, 6)));
        }, appId, userId);
        return Optional.ofNullable(user[0]).map(u -> new io.herald.core.intake.Recipient(u, devices));
    }

    private static final String RECIPIENT = """
            SELECT u.user_id, u.email, u.phone, u.locale, u.timezone, u.preferences::text, d.id, d.user_id, d.platform, d.token,
                   d.subscription::text, d.active, d.registered_at, d.deactivated_at
            FROM users u LEFT JOIN devices d ON d.app_id = u.app_id AND d.user_id = u.user_id AND d.active
            WHERE u.app_id = ? AND u.user_id = ? ORDER BY d.registered_at""";

    /** Two statements for the whole set: the users, then their active devices. */
    @Override
    public Map<String, io.herald.core.intake.Recipient> findAll(long appId, java.util.Collection<String> userIds) {
        Map<String, io.herald.core.intake.Recipient> found = new java.util.HashMap<>();
        if (userIds.isEmpty()) return found;
        String[] ids = userIds.toArray(String[]::new);
        Map<String, List<Target.Device>> devices = activeDevicesByUser(jdbc, appId, ids);
        jdbc.query(con -> KeyProbes.prepare(con, USERS_BY_ID, appId, ids), rs -> {
            String id = rs.getString(1);
            found.put(id, new io.herald.core.intake.Recipient(profile(appId, id, rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6)), devices.getOrDefault(id, List.of())));
        });
        return found;
    }

    /** The active devices of these users, oldest first, by user: one statement (dispatch re-checks, broadcast pages). */
    static Map<String, List<Target.Device>> activeDevicesByUser(JdbcTemplate jdbc, long appId, String[] userIds) {
        Map<String, List<Target.Device>> devices = new java.util.HashMap<>();
        if (userIds.length == 0) return devices;
        jdbc.query(con -> KeyProbes.prepare(con, ACTIVE_DEVICES_BY_USER, appId, userIds), rs -> {
            devices.computeIfAbsent(rs.getString("user_id"), k -> new java.util.ArrayList<>()).add(activeDevice(device(rs, 0)));
        });
        return devices;
    }

    static io.herald.core.user.UserProfile profile(long appId, String userId, String email, String phone, String locale,
                                                   String timezone, String preferencesJson) {
        return new io.herald.core.user.UserProfile(appId, userId, email, phone, locale, timezone == null ? null : ZoneId.of(timezone), null,
                PreferencesJson.parse(preferencesJson));
    }

    private static Target.Device activeDevice(DeviceRow d) {
        return new Target.Device(d.id().toString(), d.platform(), d.token(), d.subscription());
    }

    @Override
    public List<Target.Device> activeDevices(long appId, String userId) {
        return jdbc
                .query(DEVICE_SELECT + " WHERE app_id = ? AND user_id = ? AND active ORDER BY registered_at", PostgresUserStore::device,
                        appId, userId)
                .stream().map(PostgresUserStore::activeDevice).toList();
    }

    @Override
    public boolean deactivate(long appId, String deviceId, Instant invalidSince) {
        // a device registered again after the provider's invalidation time has a fresh token: keep it
        return jdbc.update("""
                UPDATE devices SET active = FALSE, deactivated_at = now()
                WHERE app_id = ? AND id = ? AND active AND registered_at <= ?""", appId, UUID.fromString(deviceId), ts(invalidSince)) > 0;
    }

    private static final String DEVICE_SELECT = """
            SELECT id, user_id, platform, token, subscription::text, active, registered_at, deactivated_at FROM devices""";

    /** Users by id, one index probe each ({@link KeyProbes}). */
    static final String USERS_BY_ID = "SELECT u.* FROM " + KeyProbes.KEYS + " CROSS JOIN LATERAL (SELECT user_id, email, phone, locale,"
            + " timezone, preferences::text FROM users WHERE app_id = k.app AND user_id = k.id LIMIT 1) u";

    /** Active devices of users by id, oldest first; one index probe per user (OFFSET 0 keeps the subquery apart). */
    static final String ACTIVE_DEVICES_BY_USER = "SELECT d.* FROM " + KeyProbes.KEYS + " CROSS JOIN LATERAL (" + DEVICE_SELECT
            + " WHERE app_id = k.app AND user_id = k.id AND active OFFSET 0) d ORDER BY d.registered_at";

    private static DeviceRow device(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return deviceAfter(rs, 0);
    }

    /** The device whose 8 columns ({@link #DEVICE_SELECT}'s) follow the first {@code skipped} columns of the row. */
    private static DeviceRow deviceAfter(java.sql.ResultSet rs, int skipped) throws java.sql.SQLException {
        int c = skipped;
        String sub = rs.getString(c + 5);
        return new DeviceRow(rs.getObject(c + 1, UUID.class), rs.getString(c + 2), Platform.valueOf(rs.getString(c + 3)),
                rs.getString(c + 4),
                sub == null ? null : JsonCodec.subscription(JsonCodec.MAPPER.readTree(sub)), rs.getBoolean(c + 6),
                instant(rs.getTimestamp(c + 7)), instant(rs.getTimestamp(c + 8)));
    }
}
