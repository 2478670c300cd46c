package io.herald.bench.providers;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load with a fixed number of sends in flight, measured over a window in steady state: the issuing
 * thread keeps {@code concurrency} sends outstanding from before the window opens until after it closes, and only
 * the completions inside the window count (no ramp-up, no tail).
 */
final class Load {

    private Load() {
    }

    /** One side of a comparison: starts one send and reports its end through {@link Counters}. */
    interface Side {
        String name();

        /**
         * Starts one send. The implementation must call {@code done.release()} exactly once when the send has
         * finished (from any thread), after counting it in {@code counters}.
         */
        void issue(long seq, Counters counters, Semaphore done);

        /**
         * Keeps {@code concurrency} sends in flight until {@code stop}, each holding one permit of {@code slots}
         * (taken before it starts, released when it has finished). Returns at once. The default is one issuing thread
         * that takes a permit and calls {@link #issue}, the way the dispatcher's lane loop hands work to virtual threads.
         */
        default void drive(int concurrency, Counters counters, AtomicBoolean stop, Semaphore slots) {
            Thread.ofPlatform().name("bench-issuer-" + name()).start(() -> {
                long seq = 0;
                try {
                    while (!stop.get()) {
                        slots.acquire();
                        if (stop.get()) {
                            slots.release();
                            break;
                        }
                        issue(seq++, counters, slots);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    static final class Counters {
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String lastError;

        void error(String detail) {
            errors.increment();
            lastError = detail;
        }
    }

    /**
     * @param name          which side
     * @param msgsPerSecond completions per second inside the window
     * @param messages      completions inside the window
     * @param errors        sends that did not succeed inside the window
     * @param cpuMicrosPerMsg process CPU time (all threads: client, mock server, database driver) per completion
     * @param lastError     the last error seen, or null
     */
    record Result(String name, double msgsPerSecond, long messages, long errors, double cpuMicrosPerMsg, String lastError) {
    }

    /** Runs {@code side} with {@code concurrency} sends in flight: {@code ramp} unmeasured, then {@code window} measured. */
    static Result run(Side side, int concurrency, Duration ramp, Duration window) throws InterruptedException {
        Counters counters = new Counters();
        Semaphore slots = new Semaphore(concurrency);
        AtomicBoolean stop = new AtomicBoolean();
        side.drive(concurrency, counters, stop, slots);
        Thread.sleep(ramp);
        long ok0 = counters.ok.sum(), err0 = counters.errors.sum(), cpu0 = cpuNanos(), t0 = System.nanoTime();
        Thread.sleep(window);
        long ok1 = counters.ok.sum(), err1 = counters.errors.sum(), cpu1 = cpuNanos(), t1 = System.nanoTime();
        stop.set(true);
        // wait for the sends still in flight, so the next measurement starts quiet
        if (slots.tryAcquire(concurrency, 30, TimeUnit.SECONDS)) slots.release(concurrency);
        long n = ok1 - ok0;
        double seconds = (t1 - t0) / 1e9;
        return new Result(side.name(), n / seconds, n, err1 - err0, n == 0 ? 0 : (cpu1 - cpu0) / 1e3 / n, counters.lastError);
    }

    /**
     * Alternates short unmeasured passes of the sides until each side's last two passes agree within 15% (JIT,
     * TLS sessions, pools and tokens are warm), with at least two passes per side and at most {@code budget} in all.
     */
    static void warmUp(List<Side> sides, int concurrency, Duration pass, Duration budget, Runnable afterPass)
            throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        java.util.Map<Side, List<Double>> rates = new java.util.HashMap<>();
        for (int i = 1;; i++) {
            for (Side side : sides) {
                Result r = run(side, concurrency, Duration.ofMillis(200), pass);
                afterPass.run();
                rates.computeIfAbsent(side, s -> new ArrayList<>()).add(r.msgsPerSecond());
                ProviderBench.log("warm-up %d %-18s %8.0f msgs/s  errors %d%s", i, side.name(), r.msgsPerSecond(), r.errors(),
                        r.lastError() == null ? "" : "  " + r.lastError());
            }
            boolean stable = rates.values().stream().allMatch(l -> l.size() >= 2
                    && Math.abs(l.get(l.size() - 1) - l.get(l.size() - 2)) <= 0.15 * Math.max(l.get(l.size() - 1), l.get(l.size() - 2)));
            if (stable) {
                ProviderBench.log("warm-up stable after %d passes per side", i);
                return;
            }
            if (System.nanoTime() > deadline) {
                ProviderBench.log("warm-up budget used up after %d passes per side, rates still moving", i);
                return;
            }
        }
    }

    static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n == 0) return 0;
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
