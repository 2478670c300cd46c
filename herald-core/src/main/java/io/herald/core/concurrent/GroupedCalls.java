package io.herald.core.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit as a building block: callers arriving together share ONE call of {@code many} (one transaction, one
 * statement), and each returns only with its own answer, or with the exception that failed its group. A few platform
 * threads each take whatever is waiting, up to {@code maxGroup}: a lone caller is served at once (no added latency),
 * a busy server forms larger groups by itself while the previous call runs. Thread-safe.
 *
 * <p>Groups are formed one at a time (the threads take turns at the queue) and served concurrently. With a
 * {@code linger}, a group formed while another is still being served waits up to that long for company before it is
 * served: requests arriving one by one (an open-loop stream) otherwise each find a free thread and pay a statement and
 * a commit of their own, the fixed cost of which is most of a lone send's database CPU (docs/benchmarks.md). A caller
 * on an otherwise idle stage never waits.
 *
 * <p>An urgent caller (a one-time code among marketing sends) joins the next group formed, ahead of every caller
 * waiting that is not urgent: under a flood above the stage's capacity, the callers waiting may be thousands, each
 * group 200 of them. Among equals, callers are served in arrival order.
 *
 * @param <I> one caller's input
 * @param <O> its answer; {@code many} answers a group's inputs in order
 */
public final class GroupedCalls<I, O> implements AutoCloseable {

    private record Pending<I, O>(I input, boolean urgent, long arrival, CompletableFuture<O> output) {
    }

    private static final Comparator<Pending<?, ?>> URGENT_FIRST_THEN_ARRIVAL = Comparator
            .<Pending<?, ?>, Boolean>comparing(p -> !p.urgent()).thenComparingLong(Pending::arrival);

    private final Function<List<I>, List<O>> many;
    private final int maxGroup;
    private final long lingerNanos;
    private final ReentrantLock forming = new ReentrantLock();
    private final AtomicInteger serving = new AtomicInteger();
    private final PriorityBlockingQueue<Pending<I, O>> waiting = new PriorityBlockingQueue<>(256, URGENT_FIRST_THEN_ARRIVAL);
    private final AtomicLong arrivals = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    public GroupedCalls(String name, int threads, int maxGroup, Function<List<I>, List<O>> many) {
        this(name, threads, maxGroup, Duration.ZERO, many);
    }

    /**
     * @param threads how many groups are served at once; 0 serves each caller alone on its own thread (no grouping)
     * @param linger  how long a group formed while another is being served waits for more callers (zero: not at all)
     */
    public GroupedCalls(String name, int threads, int maxGroup, Duration linger, Function<List<I>, List<O>> many) {
        if (linger.isNegative()) throw new IllegalArgumentException("linger must not be negative");
        if (threads < 0) throw new IllegalArgumentException("threads must not be negative");
        this.many = many;
        this.maxGroup = maxGroup;
        this.lingerNanos = linger.toNanos();
        for (int i = 0; i < threads; i++) {
            // platform threads: as virtual threads they queued behind every request thread on the two carriers
            this.threads.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(this::loop));
        }
    }

    /** Waits for this input's answer; without threads, or after {@link #close()}, calls {@code many} directly. */
    public O call(I input) {
        return call(input, false);
    }

    /** As {@link #call(Object)}; an {@code urgent} input goes ahead of every waiting one that is not. */
    public O call(I input, boolean urgent) {
        if (!open || threads.isEmpty()) return many.apply(List.of(input)).getFirst();
        Pending<I, O> p = new Pending<>(input, urgent, arrivals.getAndIncrement(), new CompletableFuture<>());
        waiting.add(p);
        try {
            return p.output().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    /** Groups being served now. */
    int serving() {
        return serving.get();
    }

    /** Callers waiting for a thread (not counting the group being served). */
    public int queued() {
        return waiting.size();
    }

    private void loop() {
        List<Pending<I, O>> group = new ArrayList<>(maxGroup);
        while (open || !waiting.isEmpty()) {
            try {
                forming.lockInterruptibly();
                try {
                    form(group);
                } finally {
                    forming.unlock();
                }
                if (!group.isEmpty()) serve(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Takes what waits (the first caller up to 200 ms), then lingers for more while another group is being served. */
    private void form(List<Pending<I, O>> group) throws InterruptedException {
        Pending<I, O> first = waiting.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) return;
        group.add(first);
        waiting.drainTo(group, maxGroup - 1);
        if (lingerNanos == 0 || serving.get() == 0) return;
        long deadline = System.nanoTime() + lingerNanos;
        while (group.size() < maxGroup) {
            Pending<I, O> next = waiting.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) return;
            group.add(next);
            waiting.drainTo(group, maxGroup - group.size());
        }
    }

    private void serve(List<Pending<I, O>> group) {
        List<O> outputs;
        serving.incrementAndGet();
        try {
            outputs = many.apply(group.stream().map(Pending::input).toList());
        } catch (RuntimeException | Error e) {
            serving.decrementAndGet();
            // the whole group failed together: each caller gets the same cause, and none waits for ever
            for (Pending<I, O> p : group) p.output().completeExceptionally(e);
            if (e instanceof VirtualMachineError fatal) throw fatal;
            return;
        }
        // no longer serving BEFORE the callers are answered: a caller's next call, formed at once by another thread,
        // must find this stage idle, not linger for a group that is already done
        serving.decrementAndGet();
        for (int i = 0; i < group.size(); i++) group.get(i).output().complete(outputs.get(i));
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
