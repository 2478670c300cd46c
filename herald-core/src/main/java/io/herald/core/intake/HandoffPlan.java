package io.herald.core.intake;

import io.herald.core.model.Status;
import io.herald.core.queue.WorkQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * One intake write's {@link LaneHandoff}s: the slots reserved for its immediate notifications before the commit, and
 * what becomes of them after it (started, or freed when nothing was stored for them).
 */
final class HandoffPlan {

    private record Pending(NewNotification row, LaneHandoff.Reservation slot) {
    }

    private final List<NotificationStore.Accepted> sends;
    private final List<List<Pending>> pending;

    private HandoffPlan(List<NotificationStore.Accepted> sends, List<List<Pending>> pending) {
        this.sends = sends;
        this.pending = pending;
    }

    /** Reserves a slot for every immediate notification whose lane has one free; those rows are marked handed off. */
    static HandoffPlan reserve(LaneHandoff handoff, List<NotificationStore.Accepted> planned) {
        List<NotificationStore.Accepted> sends = new ArrayList<>(planned.size());
        List<List<Pending>> pending = new ArrayList<>(planned.size());
        for (NotificationStore.Accepted a : planned) {
            List<NewNotification> rows = a.notifications();
            List<NewNotification> marked = null;
            List<Pending> mine = List.of();
            for (int i = 0; i < rows.size(); i++) {
                NewNotification n = rows.get(i);
                if (!immediate(n)) continue;
                LaneHandoff.Reservation slot = handoff.reserve(WorkQueue.of(n.target()), n.priority());
                if (slot == null) continue;
                NewNotification leased = n.handedTo(slot.owner(), n.createdAt().plus(slot.lease()));
                if (marked == null) {
                    marked = new ArrayList<>(rows);
                    mine = new ArrayList<>();
                }
                marked.set(i, leased);
                mine.add(new Pending(leased, slot));
            }
            sends.add(marked == null ? a : new NotificationStore.Accepted(a.appId(), a.receipt(), marked));
            pending.add(mine);
        }
        return new HandoffPlan(sends, pending);
    }

    /** Due now, with somewhere to go: scheduled, deferred and terminal rows wait in (or skip) the queue as before. */
    private static boolean immediate(NewNotification n) {
        return n.status() == Status.QUEUED && n.target() != null && (n.dueAt() == null || !n.dueAt().isAfter(n.createdAt()));
    }

    /** The sends to store: the planned ones, with the rows handed off marked so. */
    List<NotificationStore.Accepted> sends() {
        return sends;
    }

    /** After the commit: the sends stored start their deliveries; a replay stored nothing, so its slots are freed. */
    void committed(List<NotificationStore.Stored> stored) {
        for (int k = 0; k < pending.size(); k++) {
            boolean rowsStored = !stored.get(k).replay();
            for (Pending p : pending.get(k)) {
                if (rowsStored) p.slot().start(p.row().asClaimed());
                else
                    p.slot().cancel();
            }
        }
    }

    /** The commit failed: nothing was stored. */
    void failed() {
        for (List<Pending> mine : pending) for (Pending p : mine) p.slot().cancel();
    }
}
