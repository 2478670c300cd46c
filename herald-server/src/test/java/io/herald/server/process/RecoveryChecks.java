package io.herald.server.process;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the crash tests of every queue engine check once all accepted work is done. */
final class RecoveryChecks {

    private RecoveryChecks() {
    }

    /**
     * None lost, none added, every one SENT exactly once as far as the history says; duplicates only among those the
     * dead worker held, and each of those says so in its history. @return the notifications sent twice
     */
    static Set<UUID> assertAllSentOnceAndOnlyTheDeadWorkersWorkTwice(SchemaDb db, int total, Set<UUID> stuck, String deadWorker) {
        assertThat(db.count("SELECT count(*) FROM notifications")).isEqualTo(total);
        assertThat(db.statusCounts()).containsExactly(Map.entry("SENT", (long) total));
        assertThat(db.count("SELECT count(*) FROM queue_entries")).as("queue drained").isZero();
        assertThat(db.count("""
                SELECT count(*) FROM notifications n
                WHERE (SELECT count(*) FROM notification_events e WHERE e.notification_id = n.id AND e.status = 'SENT') <> 1""")).isZero();

        Set<UUID> sentTwice = db.ids("""
                SELECT notification_id FROM notification_history WHERE status = 'SENDING'
                GROUP BY notification_id HAVING count(*) > 1""");
        Set<UUID> reclaimed = db.ids("SELECT DISTINCT notification_id FROM notification_events WHERE status = 'SENDING' AND detail LIKE ?",
                "lease of " + deadWorker + " expired; reclaimed");
        assertThat(stuck).containsAll(sentTwice);
        assertThat(reclaimed).as("exactly the notifications the dead worker held were reclaimed").isEqualTo(stuck);
        assertThat(db.count("SELECT count(*) FROM notification_events WHERE detail LIKE '%reclaimed%'"))
                .as("one reclaim per stuck notification, nothing else reclaimed").isEqualTo(stuck.size());
        return sentTwice;
    }
}
