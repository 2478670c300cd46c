package io.herald.core.dispatch;

import io.herald.core.intake.LaneHandoff;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The workers of one queue ({@link WorkQueue}: a channel, or one push platform): one claiming loop per priority
 * lane, each with its own concurrency limit (sends in flight), attempts started on virtual threads and finished when
 * the provider answers (no thread waits for an asynchronous provider), and one writer that stores outcomes in batches. Every queue has its own dispatcher, so a slow or failing provider only fills its own queue's slots.
 *
 * <p>Outcomes that cannot be stored (database down) are kept and retried; if the process dies first, the
 * leases expire and the entries are claimed again: delivery is at-least-once.
 */
public final class ChannelDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelDispatcher.class);
    private static final int WRITE_BATCH = 500;

    private final WorkQueue workQueue;
    private final Channel channel;
    private final LaneSettings settings;
    private final DeliveryQueue queue;
    private final DeliveryAttempt attempt;
    private final DispatchListener listener;
    private final Clock clock;
    private final String owner;
    private final Map<Priority, Wakeup> wakeups = new EnumMap<>(Priority.class);
    private final LinkedBlockingQueue<Done> completions = new LinkedBlockingQueue<>();
    // made anew at each start: a dispatcher may be stopped and started again (graceful restarts, paused contexts)
    private volatile ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    // attempts started and not finished; the party of its own is the dispatcher's, so close() can wait for the rest
    private volatile Phaser inFlight = new Phaser(1);
    private final List<Thread> threads = new ArrayList<>();
    // each lane's slots (claimed or handed off, outcome not yet stored), made anew at each start; intake's handoffs
    // take them too, then the lane's headroom (see reserve); provider calls in flight take a sending permit as well
    private volatile Map<Priority, Semaphore> laneSlots = new EnumMap<>(Priority.class);
    private volatile Map<Priority, Semaphore> laneHeadroom = new EnumMap<>(Priority.class);
    private volatile Map<Priority, Semaphore> laneSending = new EnumMap<>(Priority.class);
    // lanes whose last claim found them drained: only those take handoffs, which would otherwise overtake due work
    private final Map<Priority, AtomicBoolean> drainedLanes = new EnumMap<>(Priority.class);
    private Thread writer;
    private volatile boolean running;
    private volatile boolean draining;

    /**
     * An outcome waiting for the writer. {@code slot}: the lane's slot (or headroom permit) the delivery took, released
     * only once the outcome is stored (or fenced), so a lane never has more claimed-but-unstored deliveries than its
     * concurrency: without it, sends that finish faster than outcomes are written let claims run ahead until leases
     * lapse and entries are claimed (and sent) again. Null for {@link #runDue}.
     */
    private record Done(ClaimedDelivery delivery, Transition transition, Semaphore slot) {

        void release() {
            if (slot != null) slot.release();
        }
    }

    private volatile BulkYield bulkYield = BulkYield.NEVER;

    public ChannelDispatcher(WorkQueue workQueue, LaneSettings settings, DeliveryQueue queue, DeliveryAttempt attempt,
                             DispatchListener listener, Clock clock, String owner) {
        this.workQueue = workQueue;
        this.channel = workQueue.channel();
        this.settings = settings;
        this.queue = queue;
        this.attempt = attempt;
        this.listener = listener;
        this.clock = clock;
        this.owner = owner;
        for (Priority p : Priority.values()) {
            wakeups.put(p, new Wakeup());
            drainedLanes.put(p, new AtomicBoolean());
        }
    }

    public WorkQueue workQueue() {
        return workQueue;
    }

    /** Rung by intake after it committed work for this lane, so an idle lane claims it at once. */
    public void ring(Priority priority) {
        wakeups.get(priority).ring();
    }

    public synchronized void start() {
        if (running) return;
        if (sends.isShutdown()) sends = Executors.newVirtualThreadPerTaskExecutor();
        inFlight = new Phaser(1); // sends left over from before keep counting down the old one
        threads.clear();
        draining = false;
        Map<Priority, Semaphore> slots = new EnumMap<>(Priority.class), headroom = new EnumMap<>(Priority.class),
                sending = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            slots.put(p, new Semaphore(settings.concurrency()));
            headroom.put(p, new Semaphore(settings.handoffHeadroom()));
            sending.put(p, new Semaphore(settings.concurrency()));
        }
        laneSlots = slots;
        laneHeadroom = headroom;
        laneSending = sending;
        running = true;
        // the claiming loops and the writer are platform threads: as virtual threads they queue FIFO behind every
        // request thread on the few carriers, and under an intake flood delivery starves (measured: end-to-end
        // p50 of 15 s at 1,000/s). A handful of OS threads get their fair share from the kernel instead.
        for (Priority p : Priority.values()) {
            threads.add(Thread.ofPlatform().daemon().name("herald-" + workQueue + "-" + p).start(() -> laneLoop(p)));
        }
        writer = Thread.ofPlatform().daemon().name("herald-" + workQueue + "-writer").start(this::writerLoop);
    }

    private void laneLoop(Priority priority) {
        Semaphore slots = laneSlots.get(priority), sending = laneSending.get(priority);
        int minClaim = Math.max(1, Math.min(settings.batchSize(), settings.concurrency()) / 4);
        boolean backlog = false;
        Duration backoff = settings.pollInterval();
        Duration idleWait = settings.pollInterval();
        while (running) {
            try {
                int free = slots.availablePermits();
                if (free == 0) {
                    slots.acquire();
                    slots.release();
                    continue;
                }
                if (backlog && free < minClaim) {
                    // under a backlog, claiming for every single freed slot costs a round trip per few rows:
                    // wait a moment for a worthwhile batch of free slots (never long: sends finish continuously)
                    if (slots.tryAcquire(minClaim, 5, TimeUnit.MILLISECONDS)) slots.release(minClaim);
                    free = slots.availablePermits();
                }
                int want = Math.min(free, settings.batchSize());
                if (priority != Priority.HIGH) bulkYield.beforeBulkStep();
                Instant claimedAt = clock.instant();
                List<ClaimedDelivery> batch = queue.claim(workQueue, priority, want, settings.lease(), owner, claimedAt);
                if (priority == Priority.HIGH) reportHighWaits(batch, claimedAt);
                backlog = batch.size() == want;
                drainedLanes.get(priority).set(!backlog);
                backoff = settings.pollInterval();
                if (batch.isEmpty()) {
                    // nothing due: look again later each time, up to the idle wait; new work rings the bell (this
                    // process's intake and scheduler at once, other processes' through the database), which starts over
                    boolean rung = wakeups.get(priority).await(idleWait);
                    idleWait = rung ? settings.pollInterval() : settings.longerIdleWait(idleWait);
                    continue;
                }
                idleWait = settings.pollInterval();
                // fewer than asked for: the lane is drained as of this claim. New work rings the bell (this process's
                // intake at once, other processes' through the database), so wait for it instead of claiming again at
                // once: that claim found nothing almost every time, a statement per ring (pg_stat_statements: 1.9
                // rows per claim at 490 single sends/s; docs/benchmarks.md)
                boolean drained = batch.size() < want;
                listener.deliveriesStarted(workQueue, priority, batch.size(), false);
                attempt.prepare(batch);
                ExecutorService executor = sends;
                Phaser inFlight = this.inFlight;
                for (ClaimedDelivery d : batch) {
                    slots.acquire();
                    send(d, slots, sending, executor, inFlight);
                }
                if (drained) wakeups.get(priority).await(settings.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // database unavailable or similar: back off, keep going; leases protect claimed work
                log.warn("{} {} lane: claim failed, retrying in {}: {}", workQueue, priority, backoff, e.toString());
                sleepQuietly(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Starts one delivery in a slot the caller holds; the writer frees the slot once its outcome is stored. The provider
     * call waits for a sending permit, held until the provider answers, so handoffs in the headroom never take calls
     * in flight past the lane's concurrency.
     */
    private void send(ClaimedDelivery d, Semaphore slot, Semaphore sending, ExecutorService executor, Phaser inFlight) {
        inFlight.register();
        // the virtual thread runs the checks (and a blocking provider); an asynchronous provider's answer
        // completes the attempt later without a thread waiting for it
        executor.execute(() -> {
            try {
                sending.acquire();
            } catch (InterruptedException e) {
                // stopped while waiting to send: nothing went out; the lease expires and the entry is claimed again
                Thread.currentThread().interrupt();
                slot.release();
                inFlight.arriveAndDeregister();
                return;
            }
            try {
                attempt.runAsync(d).whenComplete((t, error) -> {
                    sending.release();
                    finished(d, t, error, slot, inFlight);
                });
            } catch (Throwable t) {
                sending.release();
                finished(d, null, t, slot, inFlight);
            }
        });
    }

    /**
     * A slot of this lane, or of its handoff headroom, for a notification intake is about to store leased to it
     * ({@link LaneHandoff}); null when the lane is stopped, has neither, found due work at its last claim (the handoff
     * would overtake it), or is a bulk lane that HIGH wants resting.
     */
    public LaneHandoff.Reservation reserve(Priority priority) {
        if (!running || !drainedLanes.get(priority).get()) return null;
        if (priority != Priority.HIGH && !bulkYield.rest().isZero()) return null;
        Semaphore lane = laneSlots.get(priority), headroom = laneHeadroom.get(priority), sending = laneSending.get(priority);
        Semaphore slots = lane.tryAcquire() ? lane : headroom.tryAcquire() ? headroom : null;
        if (slots == null) return null;
        ExecutorService executor = sends;
        Phaser inFlight = this.inFlight;
        return new LaneHandoff.Reservation() {
            @Override
            public String owner() {
                return owner;
            }

            @Override
            public Duration lease() {
                return settings.lease();
            }

            @Override
            public void start(ClaimedDelivery delivery) {
                try {
                    if (priority == Priority.HIGH) bulkYield.highWaited(Duration.ZERO); // it waited for nothing
                    send(delivery, slots, sending, executor, inFlight);
                    listener.deliveriesStarted(workQueue, priority, 1, true);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // stopped between the reservation and the commit: the entry keeps its lease and is claimed after it
                    inFlight.arriveAndDeregister();
                    slots.release();
                    log.warn("{}: stopped before notification {} could start; it is claimed again after its lease", workQueue,
                            delivery.id());
                }
            }

            @Override
            public void cancel() {
                slots.release();
            }
        };
    }

    /** Fresh HIGH deliveries' wait from due to claimed, for {@link BulkYield}; retries and reclaims wait by design. */
    private void reportHighWaits(List<ClaimedDelivery> batch, Instant claimedAt) {
        for (ClaimedDelivery d : batch) {
            if (d.attempt() == 1 && !d.reclaimed() && d.dueSince() != null) bulkYield.highWaited(Duration.between(d.dueSince(), claimedAt));
        }
    }

    /** Bulk lanes (LOW, NORMAL) of this dispatcher rest while {@code y} says HIGH is strained; HIGH lanes report to it. */
    public void yieldTo(BulkYield y) {
        this.bulkYield = java.util.Objects.requireNonNull(y);
    }

    private void finished(ClaimedDelivery d, Transition t, Throwable error, Semaphore slots, Phaser inFlight) {
        try {
            if (error == null) {
                completions.add(new Done(d, t, slots)); // the writer releases the slot once the outcome is stored
            } else {
                // attempts turn exceptions into outcomes; this is an Error (out of memory, ...): the lease
                // expires and the entry is claimed again, up to the queue's reclaim limit
                log.error("{}: no outcome for notification {}; it will be reclaimed after its lease", workQueue, d.id(), error);
                slots.release();
            }
        } finally {
            inFlight.arriveAndDeregister();
        }
    }

    private void writerLoop() {
        List<Done> batch = new ArrayList<>();
        // runs until stopped AND every send in flight has handed in its outcome (see close)
        while (!draining || !completions.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Done first = completions.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                }
                completions.drainTo(batch, WRITE_BATCH - batch.size());
                store(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("{}: storing {} outcomes failed, will retry: {}", workQueue, batch.size(), e.toString());
                sleepQuietly(Duration.ofMillis(500));
            }
        }
    }

    private void store(List<Done> batch) {
        Set<Transition> fenced = Collections.newSetFromMap(new IdentityHashMap<>());
        fenced.addAll(queue.apply(batch.stream().map(Done::transition).toList()));
        for (Done done : batch) {
            done.release();
            Transition t = done.transition();
            if (fenced.contains(t)) {
                log.warn("{}: outcome {} of notification {} (attempt {} by {}) dropped: its lease was taken over by a later claim",
                        workQueue, t.status(), t.id(), t.lease().attempt(), t.lease().owner());
                listener.outcomeFenced(channel, t);
            } else {
                listener.transition(channel, done.delivery().priority(), t, Duration.between(done.delivery().createdAt(), t.at()));
            }
        }
    }

    /**
     * Claims and delivers everything due now in the caller's thread, lane by lane in priority order, until
     * nothing is due. For tests with a settable clock and for tools; do not mix with {@link #start()}.
     *
     * @return how many deliveries were attempted
     */
    public int runDue() {
        int total = 0;
        for (Priority p : Priority.values()) {
            List<ClaimedDelivery> batch;
            while (!(batch = queue.claim(workQueue, p, settings.batchSize(), settings.lease(), owner, clock.instant())).isEmpty()) {
                attempt.prepare(batch);
                List<Done> done = new ArrayList<>();
                for (ClaimedDelivery d : batch) done.add(new Done(d, attempt.run(d), null));
                store(done);
                total += done.size();
            }
        }
        return total;
    }

    /**
     * Stops claiming, lets sends in flight finish and stores their outcomes (bounded waits). What is still in flight
     * after the waits keeps its lease and is claimed again after it expires: nothing is lost. Can be started again.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) return;
            running = false;
        }
        // idle lanes wait on their bell for up to the idle-poll interval: ring them, so a stop takes no such wait (it
        // took 9.5 s on the embedded default, six queues' lanes joined one queue after another)
        wakeups.values().forEach(Wakeup::ring);
        // and a lane inside a claim that waits for work (a Kafka poll, up to poll-timeout) returns from it now
        queue.interruptClaims(workQueue);
        drainedLanes.values().forEach(d -> d.set(false));
        try {
            for (Thread t : threads) t.join(Duration.ofSeconds(10)); // lanes finish handing out their current batch
            ExecutorService executor = sends;
            executor.shutdown();
            Duration wait = Duration.ofSeconds(30);
            long deadline = System.nanoTime() + wait.toNanos();
            if (!executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) executor.shutdownNow();
            // asynchronous sends outlive the threads that started them: wait for their answers as well
            Phaser phaser = inFlight;
            int phase = phaser.arriveAndDeregister();
            try {
                phaser.awaitAdvanceInterruptibly(phase, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                log.warn("{}: {} sends still unanswered at shutdown; their leases expire and they are claimed again",
                        workQueue, phaser.getRegisteredParties());
            }
            draining = true;
            if (writer != null) writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
