package io.herald.core.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit as a building block: callers arriving together share ONE call of {@code many} (one transaction, one
 * statement), and each returns only with its own answer, or with the exception that failed its group. A few platform
 * threads each take whatever is waiting, up to {@code maxGroup}: a lone caller is served at once (no added latency),
 * a busy server forms larger groups by itself while the previous call runs. Thread-safe.
 *
 * @param <I> one caller's input
 * @param <O> its answer; {@code many} answers a group's inputs in order
 */
public final class GroupedCalls<I, O> implements AutoCloseable {

    private record Pending<I, O>(I input, CompletableFuture<O> output) {
    }

    private final Function<List<I>, List<O>> many;
    private final int maxGroup;
    private final LinkedBlockingQueue<Pending<I, O>> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    public GroupedCalls(String name, int threads, int maxGroup, Function<List<I>, List<O>> many) {
        this.many = many;
        this.maxGroup = maxGroup;
        for (int i = 0; i < threads; i++) {
            // platform threads: as virtual threads they queued behind every request thread on the two carriers
            this.threads.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(this::loop));
        }
    }

    /** Waits for this input's answer; after {@link #close()}, calls {@code many} directly. */
    public O call(I input) {
        if (!open) return many.apply(List.of(input)).getFirst();
        Pending<I, O> p = new Pending<>(input, new CompletableFuture<>());
        waiting.add(p);
        try {
            return p.output().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    /** Callers waiting for a thread (not counting the group being served). */
    public int queued() {
        return waiting.size();
    }

    private void loop() {
        List<Pending<I, O>> group = new ArrayList<>(maxGroup);
        while (open || !waiting.isEmpty()) {
            try {
                Pending<I, O> first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                group.add(first);
                waiting.drainTo(group, maxGroup - 1);
                serve(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void serve(List<Pending<I, O>> group) {
        try {
            List<O> outputs = many.apply(group.stream().map(Pending::input).toList());
            for (int i = 0; i < group.size(); i++) group.get(i).output().complete(outputs.get(i));
        } catch (RuntimeException e) {
            // the whole group failed together: each caller gets the same cause
            for (Pending<I, O> p : group) p.output().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        open = false;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
