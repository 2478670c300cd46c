package io.herald.server.observability;

import io.herald.core.queue.DeliveryQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Queue depth per queue (channel, or push platform) and priority as gauges. Read from the database every few seconds by one thread,
 * not on every scrape, so a busy Prometheus cannot load the database. The read counts every waiting entry (a walk of the
 * queue: 116-130 ms behind a backlog of ~100,000 on a 2-core box, docs/benchmarks.md), so a deep backlog stretches the
 * period: the next read waits at least {@link #COST_SHARE} times as long as the last one took.
 */
public final class QueueGauges implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    private final DeliveryQueue queue;
    private final Clock clock;
    private final ConcurrentHashMap<String, double[]> values = new ConcurrentHashMap<>();
    private volatile Snapshot last;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    private final Duration period;

    /** The gauges' reads take at most 1/COST_SHARE of one database connection's time. */
    static final int COST_SHARE = 20;

    public QueueGauges(DeliveryQueue queue, MeterRegistry registry, Clock clock, long periodSeconds) {
        this.queue = queue;
        this.clock = clock;
        String[] kinds = {"ready", "scheduled", "in_flight", "retrying", "dead_letter"};
        for (var q : io.herald.core.queue.WorkQueue.all()) {
            for (var p : io.herald.core.model.Priority.values()) {
                double[] v = values.computeIfAbsent(q.name() + "/" + p, k -> new double[6]);
                for (int i = 0; i < kinds.length; i++) {
                    int idx = i;
                    Gauge.builder("herald.queue.depth", v, a -> a[idx]).tag("channel", q.channel().name()).tag("queue", q.name())
                            .tag("priority", p.name()).tag("state", kinds[i]).register(registry);
                }
                Gauge.builder("herald.queue.oldest_ready_age", v, a -> a[5]).baseUnit("seconds")
                        .tag("channel", q.channel().name()).tag("queue", q.name()).tag("priority", p.name()).register(registry);
            }
        }
        this.period = Duration.ofSeconds(periodSeconds);
        timer.execute(this::refreshAndPlanNext);
    }

    /** When to read next: a period after this read, or {@link #COST_SHARE} times as long as it took, whichever is later. */
    static Duration nextReadIn(Duration period, Duration took) {
        Duration paced = took.multipliedBy(COST_SHARE);
        return paced.compareTo(period) > 0 ? paced : period;
    }

    private void refreshAndPlanNext() {
        long started = System.nanoTime();
        refresh();
        Duration next = nextReadIn(period, Duration.ofNanos(System.nanoTime() - started));
        try {
            timer.schedule(this::refreshAndPlanNext, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // close() stopped the timer meanwhile
        }
    }

    /** The figures of the last successful read, and when it was made. */
    public record Snapshot(java.util.List<DeliveryQueue.LaneStats> lanes, java.time.Instant at) {
    }

    /** The last figures read (at most a refresh period old while the database answers); read once if none yet. */
    public Snapshot snapshot() {
        if (last == null) refresh();
        return last;
    }

    private synchronized void refresh() {
        try {
            var stats = queue.stats(clock.instant());
            last = new Snapshot(stats, clock.instant());
            for (var s : stats) {
                double[] v = values.get(s.queue() + "/" + s.priority());
                v[0] = s.ready();
                v[1] = s.scheduled();
                v[2] = s.inFlight();
                v[3] = s.retrying();
                v[4] = s.deadLetter();
                v[5] = s.oldestReadyAgeSeconds();
            }
        } catch (RuntimeException e) {
            log.debug("queue stats unavailable: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
