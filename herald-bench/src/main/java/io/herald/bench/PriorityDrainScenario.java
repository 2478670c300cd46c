package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 9: "HIGH priority end-to-end p99 while N LOW notifications drain". Enqueues N LOW EMAIL sends through the batch
 * API, then sends a steady HIGH stream (open loop: each send leaves at its scheduled time on its own virtual thread) while
 * the LOW backlog drains. HIGH latency is accepted -> SENT from the server's own timestamps (created_at, updated_at:
 * one clock); the LOW drain rate is the LOW SENT writes that fall in the HIGH window.
 */
final class PriorityDrainScenario {

    private static final int RECIPIENTS = 500; // used in turn, so no single rate-limit bucket becomes a hot row

    private final DeliveryBench.Context c;

    PriorityDrainScenario(DeliveryBench.Context c) {
        this.c = c;
    }

    Map<String, Object> run(int low, double rate, Duration duration, Duration wait) throws Exception {
        String lowPrefix = c.runId() + "-l-", highPrefix = c.runId() + "-h-";
        c.postInBatches("/v1/users/batch", "users", RECIPIENTS,
                i -> "{\"userId\":\"" + user(i) + "\",\"email\":\"" + user(i) + "@bench.example.com\"}", 200);
        Instant since = Instant.now().minusSeconds(5); // server timestamps; the same machine's clock
        long t0 = System.nanoTime();
        long lowAccepted = c.postInBatches("/v1/notifications/batch", "notifications", low, i -> item(lowPrefix + i, user(i), "LOW"), 202);
        double lowSeconds = (System.nanoTime() - t0) / 1e9;
        long queueAtHighStart = c.db().queueLength();
        System.err.printf("priority: %d LOW accepted in %.1f s; queue %d; HIGH at %.0f/s for %s%n", lowAccepted, lowSeconds,
                queueAtHighStart, rate, duration);

        int highCount = (int) Math.round(rate * duration.toMillis() / 1000.0);
        LongAdder highAccepted = new LongAdder(), highErrors = new LongAdder();
        CpuAccounting.Snapshot c0 = c.cpu().snapshot();
        Instant windowStart = Instant.now();
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < highCount; i++) {
                long at = start + Math.round(i * 1e9 / rate);
                for (long left = at - System.nanoTime(); left > 0; left = at - System.nanoTime()) LockSupport.parkNanos(left);
                String eventId = highPrefix + i, userId = user(i);
                ex.submit(() -> {
                    try {
                        HeraldClient.Reply r = c.client().post("/v1/notifications", item(eventId, userId, "HIGH"));
                        (r.status() == 202 ? highAccepted : highErrors).increment();
                    } catch (Exception e) {
                        highErrors.increment();
                    }
                });
            }
        }
        Instant windowEnd = Instant.now();
        CpuAccounting.Snapshot c1 = c.cpu().snapshot();
        double windowSeconds = Duration.between(windowStart, windowEnd).toMillis() / 1000.0;
        long lowDrained = c.db().sentBetween(c.appId(), since, lowPrefix, windowStart, windowEnd);
        long highSentInWindow = c.db().sentBetween(c.appId(), since, highPrefix, windowStart, windowEnd);
        long queueAtHighEnd = c.db().queueLength();
        // where the LOW backlog stands: the queue length alone does not tell claimed-but-unwritten from SENT
        Map<String, Long> lowStatusesAtHighEnd = c.db().statuses(c.appId(), since, lowPrefix);
        Map<String, Long> highStatuses = c.db().waitForTerminal(c.appId(), since, highPrefix, wait);
        Histogram e2e = c.db().endToEnd(c.appId(), since, highPrefix);
        Map<String, Object> r = DeliveryBench.ordered("scenario", "priority-drain", "runId", c.runId(), "low", low, "lowAccepted",
                lowAccepted,
                "lowAcceptedPerSecond", Math.round(lowAccepted / lowSeconds), "queueAtHighStart", queueAtHighStart,
                "highRate", rate, "highSeconds", DeliveryBench.round1(windowSeconds), "highSent", highCount,
                "highAccepted", highAccepted.sum(), "highErrors", highErrors.sum(), "highStatuses", highStatuses,
                "highEndToEndMs", Bench.latency(e2e), "lowDrainedInWindow", lowDrained,
                "lowDrainPerSecond", Math.round(lowDrained / windowSeconds), "queueAtHighEnd", queueAtHighEnd,
                "lowStatusesAtHighEnd", lowStatusesAtHighEnd,
                "cpu", DeliveryBench.cpuPer(c0, c1, Math.max(1, lowDrained + highSentInWindow)));
        System.err.printf(
                "== priority: HIGH accepted->SENT p50 %s / p99 %s ms (%d SENT of %d) while LOW drained %d/s (queue %d -> %d); %s%n",
                Bench.latency(e2e).get("p50"), Bench.latency(e2e).get("p99"), e2e.getTotalCount(), highCount, r.get("lowDrainPerSecond"),
                queueAtHighStart, queueAtHighEnd, r.get("cpu"));
        return r;
    }

    private String user(int i) {
        return c.runId() + "-r-" + (i % RECIPIENTS);
    }

    private static String item(String eventId, String userId, String priority) {
        return "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId + "\",\"channels\":[\"EMAIL\"],\"category\":\"transactional\","
                + "\"priority\":\"" + priority
                + "\",\"content\":{\"subject\":\"Your order is ready\",\"text\":\"Hello from herald-bench\"}}";
    }
}
