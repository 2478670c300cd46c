package io.herald.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * An open-loop stream of HIGH single sends (one EMAIL each) at a fixed rate until stopped: each send leaves at its
 * scheduled time on its own virtual thread, so a slow server does not slow the stream down. Issue 10: HIGH latency
 * while a broadcast fans out. Latency is read afterwards from the server's timestamps, not here.
 */
final class HighStream {

    private final HeraldClient client;
    private final String prefix;
    private final IntFunction<String> user;
    private final double rate;
    private final LongAdder accepted = new LongAdder(), errors = new LongAdder();
    /** request -> 202, from each send's scheduled time (microseconds): the intake part of HIGH's latency */
    private final Histogram acceptLatency = new ConcurrentHistogram(Bench.MAX_MICROS, 3);
    private volatile boolean open = true;
    private int sent;
    private final Thread loop;

    /** @param prefix eventId prefix of the stream's sends; @param user the recipient of the i-th send */
    HighStream(HeraldClient client, String prefix, IntFunction<String> user, double rate) {
        this.client = client;
        this.prefix = prefix;
        this.user = user;
        this.rate = rate;
        this.loop = Thread.ofPlatform().name("bench-high-stream").start(this::run);
    }

    private void run() {
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; open; i++) {
                long at = start + Math.round(i * 1e9 / rate);
                for (long left = at - System.nanoTime(); left > 0 && open; left = at - System.nanoTime()) LockSupport.parkNanos(left);
                if (!open) break;
                String body = "{\"eventId\":\"" + prefix + i + "\",\"userId\":\"" + user.apply(i) + "\",\"channels\":[\"EMAIL\"],"
                        + "\"category\":\"transactional\",\"priority\":\"HIGH\","
                        + "\"content\":{\"subject\":\"Your code\",\"text\":\"Hello from herald-bench\"}}";
                ex.submit(() -> {
                    try {
                        boolean ok = client.post("/v1/notifications", body).status() == 202;
                        if (ok) acceptLatency.recordValue(Math.clamp((System.nanoTime() - at) / 1000, 0, Bench.MAX_MICROS));
                        (ok ? accepted : errors).increment();
                    } catch (Exception e) {
                        errors.increment();
                    }
                });
                sent = i + 1;
            }
        }
    }

    long sent() {
        return sent;
    }

    long accepted() {
        return accepted.sum();
    }

    Histogram acceptLatency() {
        return acceptLatency;
    }

    long errors() {
        return errors.sum();
    }

    /** Stops sending and waits for the answers of what was sent. */
    void stop() throws InterruptedException {
        open = false; // not an interrupt: that would cancel the requests still in flight
        loop.join();
    }
}
