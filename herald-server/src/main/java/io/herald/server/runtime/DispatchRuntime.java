package io.herald.server.runtime;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Priority;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs this process's share of the work: the dispatchers of its queues (role worker) and the scheduler loop that
 * promotes due scheduled notifications and expires overdue ones (role scheduler). Also the doorbell intake
 * rings after a commit, so local workers start on new work at once.
 */
public final class DispatchRuntime implements SmartLifecycle, WorkNotifier, io.herald.core.intake.LaneHandoff {

    private static final Logger log = LoggerFactory.getLogger(DispatchRuntime.class);

    private final Map<WorkQueue, ChannelDispatcher> dispatchers = new LinkedHashMap<>();
    private final DeliveryQueue queue;
    private final boolean scheduler;
    private final Duration schedulerInterval;
    private final Clock clock;
    private volatile Thread schedulerThread;
    private volatile boolean running;

    public DispatchRuntime(List<ChannelDispatcher> dispatchers, DeliveryQueue queue, boolean scheduler,
                           Duration schedulerInterval, Clock clock) {
        dispatchers.forEach(d -> this.dispatchers.put(d.workQueue(), d));
        this.queue = queue;
        this.scheduler = scheduler;
        this.schedulerInterval = schedulerInterval;
        this.clock = clock;
    }

    @Override
    public void workAdded(WorkQueue queue, Priority priority) {
        ChannelDispatcher d = dispatchers.get(queue);
        if (d != null) d.ring(priority);
    }

    /** A free slot of this process's lane for the queue, if it works that queue and the lane can take one. */
    @Override
    public Reservation reserve(WorkQueue queue, Priority priority) {
        ChannelDispatcher d = dispatchers.get(queue);
        return d == null ? null : d.reserve(priority);
    }

    /** One scheduler pass; also called by tests. @return entries expired plus entries promoted */
    public int runSchedulerOnce() {
        int expired = queue.expireOverdue(clock.instant(), 1000);
        int promoted = queue.promoteDue(clock.instant(), 1000);
        // scheduled work that fell due rang no bell: wake this process's idle lanes (other processes' find it within
        // their idle-poll-interval)
        if (promoted > 0) dispatchers.values().forEach(d -> {
            for (Priority p : Priority.values()) d.ring(p);
        });
        return expired + promoted;
    }

    @Override
    public void start() {
        running = true;
        dispatchers.values().forEach(ChannelDispatcher::start);
        if (scheduler) {
            schedulerThread = Thread.ofVirtual().name("herald-scheduler").start(() -> {
                while (running) {
                    try {
                        // keep going while there is a backlog, else wait for the next tick
                        if (runSchedulerOnce() == 0) Thread.sleep(schedulerInterval);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        log.warn("scheduler pass failed, retrying: {}", e.toString());
                        try {
                            Thread.sleep(schedulerInterval.multipliedBy(5));
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            });
        }
        log.info("dispatchers started for {}; scheduler {}", dispatchers.keySet(), scheduler ? "on" : "off");
    }

    @Override
    public void stop() {
        running = false;
        if (schedulerThread != null) schedulerThread.interrupt();
        // side by side: each close waits for its lanes' current claim (on Kafka a poll of up to poll-timeout) and its
        // sends in flight; one queue after another, those waits add up
        List<Thread> closing = new ArrayList<>();
        for (ChannelDispatcher d : dispatchers.values())
            closing.add(Thread.ofPlatform().name("herald-stop-" + d.workQueue()).start(d::close));
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // start after the web server is up and stop before the database goes away
        return Integer.MAX_VALUE - 100;
    }
}
