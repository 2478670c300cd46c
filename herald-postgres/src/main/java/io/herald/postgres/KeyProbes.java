package io.herald.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Lookups of many keys of one app in one statement, written so that each key is one probe of the (app_id, key) index
 * whatever the table's statistics say. The obvious {@code WHERE app_id = ? AND key = ANY(?)} was planned, after
 * statistics taken while the table was tiny, as a scan of the app's whole range filtered by the array: 6.7 ms per
 * single send instead of 0.05 once send_requests held 10,000 rows (docs/benchmarks.md, "Many-key lookups by index
 * probe"). A LATERAL subquery per key (kept apart by LIMIT or OFFSET, so it is not flattened into a join) can only use
 * both columns.
 */
final class KeyProbes {

    /** The distinct keys as {@code k(app, id)}; the statement's first two parameters are the app id and the keys. */
    static final String KEYS = "(SELECT DISTINCT ?::bigint AS app, unnest(?::text[]) AS id) k";

    private KeyProbes() {
    }

    /** Prepares {@code sql} (which starts its parameters with {@link #KEYS}) for these keys of {@code appId}. */
    static PreparedStatement prepare(Connection con, String sql, long appId, String[] keys) throws SQLException {
        PreparedStatement ps = con.prepareStatement(sql);
        ps.setLong(1, appId);
        ps.setArray(2, con.createArrayOf("text", keys));
        return ps;
    }
}
