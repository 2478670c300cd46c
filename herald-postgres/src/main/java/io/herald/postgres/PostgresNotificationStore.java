package io.herald.postgres;

import io.herald.core.intake.NewNotification;
import io.herald.core.intake.NotificationStore;
import io.herald.core.intake.SendReceipt;
import io.herald.core.model.TargetLookup;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Intake storage. A whole batch of sends (or a group commit of single sends) is ONE statement ({@link IntakeRows}):
 * the receipts are inserted first with ON CONFLICT DO NOTHING, so a repeated eventId (even one racing in another
 * request) is detected by the database itself, and only the sends that won their key get notifications, queue
 * entries and events.
 */
public final class PostgresNotificationStore implements NotificationStore {

    private final JdbcTemplate jdbc;
    private final TargetLookup lookup;

    public PostgresNotificationStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this(jdbc, tx, null);
    }

    /**
     * @param tx     unused since intake is one autocommit statement; kept so wiring stays the same
     * @param lookup hashes each target for the console's exact search by address; null stores no hash */
    public PostgresNotificationStore(JdbcTemplate jdbc, TransactionTemplate tx, TargetLookup lookup) {
        this.jdbc = jdbc;
        this.lookup = lookup;
    }

    @Override
    public Optional<SendReceipt> findReceipt(long appId, String eventId) {
        return jdbc.query("SELECT response::text FROM send_requests WHERE app_id = ? AND event_id = ?",
                (rs, i) -> JsonCodec.receipt(rs.getString(1)), appId, eventId).stream().findFirst();
    }

    /** The stored receipts of some event ids, one index probe each ({@link KeyProbes}). */
    static final String RECEIPTS = "SELECT k.id, r.response FROM " + KeyProbes.KEYS
            + " CROSS JOIN LATERAL (SELECT response::text FROM send_requests WHERE app_id = k.app AND event_id = k.id LIMIT 1) r";

    @Override
    public Map<String, SendReceipt> findReceipts(long appId, java.util.Collection<String> eventIds) {
        Map<String, SendReceipt> found = new HashMap<>();
        if (eventIds.isEmpty()) return found;
        jdbc.query(con -> KeyProbes.prepare(con, RECEIPTS, appId, eventIds.toArray(String[]::new)), rs -> {
            found.put(rs.getString(1), JsonCodec.receipt(rs.getString(2)));
        });
        return found;
    }

    @Override
    public List<Stored> acceptAll(List<Accepted> sends) {
        if (sends.isEmpty()) return List.of();
        // the first send of each key goes to the database; a repeat inside this call is a replay of it
        Map<String, Accepted> firsts = new LinkedHashMap<>();
        for (Accepted a : sends) firsts.putIfAbsent(key(a), a);
        List<Accepted> unique = List.copyOf(firsts.values());
        List<NewNotification> rows = new ArrayList<>();
        for (Accepted a : unique) rows.addAll(a.notifications());
        // ONE autocommit statement: receipts, notifications, queue entries, first events and the wake-up call are
        // atomic without BEGIN/COMMIT round trips; only the rows of sends whose receipt was new are inserted
        Set<String> won = new HashSet<>();
        jdbc.query(con -> IntakeRows.statement(con, IntakeRows.WITH_RECEIPTS, unique, rows, lookup), rs -> {
            won.add(rs.getLong(1) + "\u0000" + rs.getString(2));
        });
        List<Stored> result = new ArrayList<>(sends.size());
        Map<String, SendReceipt> earlier = new HashMap<>();
        Set<String> answered = new HashSet<>();
        for (Accepted a : sends) {
            String k = key(a);
            if (won.contains(k) && answered.add(k)) {
                result.add(new Stored(a.receipt(), false));
            } else {
                SendReceipt first = won.contains(k)
                        ? firsts.get(k).receipt()
                        : earlier.computeIfAbsent(k, x -> findReceipt(a.appId(), a.receipt().eventId()).orElseThrow());
                result.add(new Stored(first, true));
            }
        }
        return result;
    }

    /**
     * Stores planned notifications with their queue entries and first events, inside the caller's transaction.
     *
     * @param campaignId the campaign every row belongs to, or null
     */
    void insertPlanned(List<NewNotification> rows, java.util.UUID campaignId) {
        if (rows.isEmpty()) return;
        jdbc.query(con -> {
            PreparedStatement ps = IntakeRows.statement(con, IntakeRows.ROWS_ONLY, List.of(), rows, lookup);
            ps.setObject(IntakeRows.CAMPAIGN_PARAMETER, campaignId, java.sql.Types.OTHER);
            return ps;
        }, rs -> {
        });
    }

    private static String key(Accepted a) {
        return a.appId() + "\u0000" + a.receipt().eventId();
    }

}
