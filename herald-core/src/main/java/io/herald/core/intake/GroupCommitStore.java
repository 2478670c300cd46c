package io.herald.core.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit for intake: single sends arriving together share one database transaction, so the cost of a
 * durable commit is paid once per group instead of once per request. Each caller still returns only after its
 * own send is committed (or gets the exception that prevented it), so "stored before 202" holds.
 *
 * <p>A few writer threads each take whatever is waiting, up to {@code maxGroup}: an idle server commits a lone
 * request at once (no added latency), a busy one forms larger groups by itself while the previous commit runs.
 * Duplicate eventIds inside one group are resolved by the store like any other (the first wins). Thread-safe.
 */
public final class GroupCommitStore implements NotificationStore, AutoCloseable {

    private record Pending(Accepted send, CompletableFuture<Stored> result) {
    }

    private final NotificationStore delegate;
    private final int maxGroup;
    private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean open = true;

    public GroupCommitStore(NotificationStore delegate, int writers, int maxGroup) {
        this.delegate = delegate;
        this.maxGroup = maxGroup;
        for (int i = 0; i < writers; i++) {
            // platform threads for the same reason as the dispatcher's loops: not behind every request on the carriers
            this.writers.add(Thread.ofPlatform().daemon().name("herald-intake-writer-" + i).start(this::writeLoop));
        }
    }

    @Override
    public Optional<SendReceipt> findReceipt(long appId, String eventId) {
        return delegate.findReceipt(appId, eventId);
    }

    @Override
    public java.util.Map<String, SendReceipt> findReceipts(long appId, java.util.Collection<String> eventIds) {
        return delegate.findReceipts(appId, eventIds);
    }

    @Override
    public List<Stored> acceptAll(List<Accepted> sends) {
        // a batch request is already one transaction of its own
        if (sends.size() != 1 || !open) return delegate.acceptAll(sends);
        Pending p = new Pending(sends.getFirst(), new CompletableFuture<>());
        waiting.add(p);
        try {
            return List.of(p.result().join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    /** Single sends waiting for a writer (not counting the group being committed). */
    int queued() {
        return waiting.size();
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (open || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) continue;
                group.add(first);
                waiting.drainTo(group, maxGroup - 1);
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending> group) {
        try {
            List<Stored> stored = delegate.acceptAll(group.stream().map(Pending::send).toList());
            for (int i = 0; i < group.size(); i++) group.get(i).result().complete(stored.get(i));
        } catch (RuntimeException e) {
            // the whole group failed together (database down...): each caller gets the same cause, nothing was stored
            for (Pending p : group) p.result().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        open = false;
        for (Thread t : writers) {
            try {
                t.join(java.time.Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
