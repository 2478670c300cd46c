package io.herald.bench.providers;

import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/** A {@link DeliveryQueue} that times claim and apply (wall time of the database round trips), for the diagnosis. */
final class TimedQueue implements DeliveryQueue {

    private final DeliveryQueue delegate;
    final LongAdder claims = new LongAdder(), claimNanos = new LongAdder(), claimed = new LongAdder();
    final LongAdder applies = new LongAdder(), applyNanos = new LongAdder(), applied = new LongAdder();

    TimedQueue(DeliveryQueue delegate) {
        this.delegate = delegate;
    }

    void reset() {
        for (LongAdder a : List.of(claims, claimNanos, claimed, applies, applyNanos, applied)) a.reset();
    }

    String summary() {
        long c = claims.sum(), a = applies.sum();
        return String.format(java.util.Locale.ROOT,
                "claim: %d calls (non-empty avg %.0f rows), avg %.1f ms; apply: %d calls, avg %.0f rows, avg %.1f ms",
                c, c == 0 ? 0.0 : claimed.sum() / (double) c, c == 0 ? 0.0 : claimNanos.sum() / 1e6 / c,
                a, a == 0 ? 0.0 : applied.sum() / (double) a, a == 0 ? 0.0 : applyNanos.sum() / 1e6 / a);
    }

    @Override
    public List<ClaimedDelivery> claim(WorkQueue queue, Priority priority, int max, Duration lease, String owner, Instant now) {
        long t = System.nanoTime();
        List<ClaimedDelivery> batch = delegate.claim(queue, priority, max, lease, owner, now);
        if (!batch.isEmpty()) { // idle polls of the empty lanes are not the interesting part
            claimNanos.add(System.nanoTime() - t);
            claims.increment();
            claimed.add(batch.size());
        }
        return batch;
    }

    @Override
    public List<Transition> apply(List<Transition> transitions) {
        long t = System.nanoTime();
        List<Transition> fenced = delegate.apply(transitions);
        applyNanos.add(System.nanoTime() - t);
        applies.increment();
        applied.add(transitions.size());
        return fenced;
    }

    @Override
    public int expireOverdue(Instant now, int max) {
        return delegate.expireOverdue(now, max);
    }

    @Override
    public int promoteDue(Instant now, int max) {
        return delegate.promoteDue(now, max);
    }

    @Override
    public int requeueDeadLetters(List<UUID> ids, Instant now) {
        return delegate.requeueDeadLetters(ids, now);
    }

    @Override
    public void interruptClaims(WorkQueue queue) {
        delegate.interruptClaims(queue);
    }

    @Override
    public List<LaneStats> stats(Instant now) {
        return delegate.stats(now);
    }
}
