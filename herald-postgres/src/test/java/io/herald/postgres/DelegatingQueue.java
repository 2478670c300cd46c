package io.herald.postgres;

import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A queue that passes everything to another: tests override the calls they watch or slow down. */
class DelegatingQueue implements DeliveryQueue {

    private final DeliveryQueue target;

    DelegatingQueue(DeliveryQueue target) {
        this.target = target;
    }

    @Override
    public List<ClaimedDelivery> claim(WorkQueue q, Priority p, int max, Duration lease, String owner, Instant now) {
        return target.claim(q, p, max, lease, owner, now);
    }

    @Override
    public List<Transition> apply(List<Transition> transitions) {
        return target.apply(transitions);
    }

    @Override
    public int expireOverdue(Instant now, int max) {
        return target.expireOverdue(now, max);
    }

    @Override
    public int promoteDue(Instant now, int max) {
        return target.promoteDue(now, max);
    }

    @Override
    public int requeueDeadLetters(List<UUID> ids, Instant now) {
        return target.requeueDeadLetters(ids, now);
    }

    @Override
    public void interruptClaims(WorkQueue queue) {
        target.interruptClaims(queue);
    }

    @Override
    public List<LaneStats> stats(Instant now) {
        return target.stats(now);
    }
}
