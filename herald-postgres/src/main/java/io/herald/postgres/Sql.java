package io.herald.postgres;

import java.sql.Timestamp;
import java.time.Instant;

/** Small conversions shared by the stores. */
final class Sql {

    private Sql() {
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }
}
