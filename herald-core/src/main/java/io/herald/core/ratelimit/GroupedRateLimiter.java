package io.herald.core.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for the limiter: single sends asking at the same moment share ONE {@link RateLimiter#acquireAll} call
 * (one statement on a shared engine) instead of a round trip each. Each caller still gets its own decision, exactly
 * as the delegate decides it; a lone request is decided at once (no added latency), a busy server forms larger groups
 * by itself while the previous call runs. Calls of many requests go straight to the delegate. Thread-safe.
 */
public final class GroupedRateLimiter implements RateLimiter, AutoCloseable {

    private record Pending(Request request, CompletableFuture<Decision> decision) {
    }

    private final RateLimiter delegate;
    private final int maxGroup;
    private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> deciders = new ArrayList<>();
    private volatile boolean open = true;

    public GroupedRateLimiter(RateLimiter delegate, int threads, int maxGroup) {
        this.delegate = delegate;
        this.maxGroup = maxGroup;
        for (int i = 0; i < threads; i++) {
            // platform threads, like the intake writers: not queued behind every request on the carrier threads
            deciders.add(Thread.ofPlatform().daemon().name("herald-limiter-" + i).start(this::decideLoop));
        }
    }

    @Override
    public Decision acquire(String key, Limit limit, Duration maxWait) {
        if (!open) return delegate.acquire(key, limit, maxWait);
        Pending p = new Pending(new Request(key, limit, maxWait), new CompletableFuture<>());
        waiting.add(p);
        try {
            return p.decision().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    @Override
    public List<Decision> acquireAll(List<Request> requests) {
        if (requests.size() == 1) return List.of(acquire(requests.getFirst().key(), requests.getFirst().limit(), requests.getFirst().maxWait()));
        return delegate.acquireAll(requests);
    }

    /** Asks waiting for a decider (not counting the group being decided). */
    int queued() {
        return waiting.size();
    }

    private void decideLoop() {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (open || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                group.add(first);
                waiting.drainTo(group, maxGroup - 1);
                decide(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void decide(List<Pending> group) {
        try {
            List<Decision> decisions = delegate.acquireAll(group.stream().map(Pending::request).toList());
            for (int i = 0; i < group.size(); i++) group.get(i).decision().complete(decisions.get(i));
        } catch (RuntimeException e) {
            for (Pending p : group) p.decision().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        open = false;
        for (Thread t : deciders) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
