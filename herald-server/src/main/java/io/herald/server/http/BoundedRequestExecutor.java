package io.herald.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web server's executor: virtual threads, as Spring Boot's, but at most {@code limit} of them at once; further
 * tasks wait in line and each thread, its task done, takes the next. Why: a request being processed holds about
 * 100 KB of heap (Tomcat's processor and buffers, the thread's stack), a task not yet started a few hundred bytes.
 * Under a flood above what two cores can serve, the unbounded executor started every arriving request, the two
 * carriers ran a few, and the heap filled with the rest: OutOfMemoryError at 6,000 sends/s from 4,096 connections on
 * the default 256 MB heap (docs/benchmarks.md). Bounded, the extra requests wait cheaply, and the API's own bounds
 * ({@link RequestsInProgressFilter}, the intake's waiting limit) answer them 503 quickly once they run.
 */
public final class BoundedRequestExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(BoundedRequestExecutor.class);

    private final int limit;
    private final Semaphore running;
    private final ConcurrentLinkedQueue<Runnable> line = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ThreadFactory threads = Thread.ofVirtual().name("tomcat-handler-", 0).factory();

    public BoundedRequestExecutor(int limit) {
        if (limit < 1) throw new IllegalArgumentException("at least one request thread");
        this.limit = limit;
        this.running = new Semaphore(limit);
    }

    @Override
    public void execute(Runnable task) {
        waiting.incrementAndGet();
        line.add(task);
        startWhileRoom();
    }

    public int limit() {
        return limit;
    }

    /** Tasks started and not finished. */
    public int running() {
        return limit - running.availablePermits();
    }

    /** Tasks waiting for a thread. */
    public int waiting() {
        return waiting.get();
    }

    private void startWhileRoom() {
        while (!line.isEmpty() && running.tryAcquire()) {
            Runnable first = take();
            if (first == null) {
                running.release(); // another thread took it meanwhile
                continue;
            }
            threads.newThread(() -> work(first)).start();
        }
    }

    private void work(Runnable first) {
        try {
            for (Runnable task = first; task != null; task = take()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("a web server task failed", e); // Tomcat handles its own; this thread goes on to the next
                }
            }
        } finally {
            running.release();
            startWhileRoom(); // a task that came while every thread was busy, and after this one looked for more
        }
    }

    private Runnable take() {
        Runnable task = line.poll();
        if (task != null) waiting.decrementAndGet();
        return task;
    }
}
