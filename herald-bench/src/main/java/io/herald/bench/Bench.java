package io.herald.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Herald's load generator. One scenario per invocation; it prints one JSON line (stdout) and a human summary
 * (stderr).
 *
 * <ul>
 *   <li>{@code single}: closed loop, N workers each sending one notification and waiting for the answer.</li>
 *   <li>{@code batch}: closed loop, N workers each posting batches of M notifications.</li>
 *   <li>{@code steady}: open loop at a fixed rate. Each request has an intended send time on a fixed schedule and
 *       its latency counts from that time, so a server stall shows up in the figures instead of silently slowing
 *       the load down (no coordinated omission). End-to-end latency to SENT comes from the database.</li>
 * </ul>
 * Every scenario runs a warm-up (default 5 s) with the same load first; nothing sent during it is counted.
 */
public final class Bench {

    /** Histograms track up to two minutes, in microseconds. */
    static final long MAX_MICROS = 120_000_000L;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Options o;
    private final HeraldClient client;
    private final String runId;
    private ServerDatabase db;
    private long appId;
    private CpuAccounting cpu;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final String[] users;

    private Bench(Options o) {
        this.o = o;
        this.client = new HeraldClient(o.url(), o.appKey(), o.appSecret(), o.requestTimeout());
        // ids use [a-z0-9-] only, so they are safe in JSON and in a LIKE prefix
        this.runId = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-" + o.scenario();
        this.users = new String[o.users()];
        for (int i = 0; i < users.length; i++) users[i] = o.users() == 1 ? o.userId() : o.userId() + "-" + i;
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("herald-bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        try {
            new Bench(o).run();
        } catch (Exception e) {
            System.err.println("herald-bench: " + o.scenario() + " failed: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        result.put("scenario", o.scenario());
        result.put("engine", o.engine());
        result.put("startedAt", Instant.now().toString());
        if (o.operator() != null) {
            String key = BenchTemplate.publish(o.url(), o.operator(), (int) o.requestTimeout().toMillis());
            client.useTemplate(key);
            result.put("template", key);
        }
        if (!o.scenario().equals("audience")) ensureUsers();
        result.put("users", users.length);
        long postmaster = 0;
        if (o.dbUrl() != null) db = connect();
        if (db != null) {
            appId = db.appId(o.appKey());
            postmaster = db.postmasterPid().orElse(0);
            result.put("db", Map.of("synchronous_commit", db.setting("synchronous_commit"), "fsync", db.setting("fsync"),
                    "server_version", db.setting("server_version")));
            long[] drain = db.waitForDrain(o.drainTimeout());
            result.put("queueBeforeRun", Map.of("atStart", drain[0], "afterWait", drain[1], "waitedSeconds", drain[2]));
        }
        cpu = new CpuAccounting(o.serverPid(), postmaster);
        try {
            switch (o.scenario()) {
                case "single" -> single();
                case "batch" -> batch();
                case "steady" -> steady();
                case "audience" -> audience();
                default -> throw new IllegalStateException(o.scenario());
            }
        } finally {
            client.close();
            if (db != null) db.close();
        }
        String line = JSON.writeValueAsString(result);
        System.out.println(line);
        System.out.flush();
        if (o.out() != null) {
            Files.writeString(Path.of(o.out()), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** Measurement window: warm-up first, then the measured part; CPU and commit counters are read at its edges. */
    private final class Window {
        final long start = System.nanoTime();
        final long measureFrom = start + o.warmup().toNanos();
        final long end = measureFrom + o.duration().toNanos();
        final Instant wallStart = Instant.now();
        CpuAccounting.Snapshot cpu0, cpu1;
        long commits0, commits1, syncs0, syncs1, queueAtEnd = -1;

        boolean measuring(long nanos) {
            return nanos >= measureFrom;
        }

        /** Called on the main thread: sleeps through the warm-up and the measured part, reading counters at the edges. */
        void observe() throws Exception {
            sleepUntil(measureFrom);
            cpu0 = cpu.snapshot();
            if (db != null) {
                commits0 = db.commits();
                syncs0 = db.walSyncs();
            }
            sleepUntil(end);
            cpu1 = cpu.snapshot();
            if (db != null) {
                commits1 = db.commits();
                syncs1 = db.walSyncs();
                queueAtEnd = db.queueLength();
            }
        }

        double measuredSeconds() {
            return (end - measureFrom) / 1e9;
        }

        void report(long notifications) {
            result.put("cpu", CpuAccounting.between(cpu0, cpu1, notifications, Runtime.getRuntime().availableProcessors()));
            if (db != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("commits", commits1 - commits0);
                if (notifications > 0)
                    d.put("commitsPerNotification", CpuAccounting.round3((commits1 - commits0) / (double) notifications));
                if (syncs0 >= 0) {
                    d.put("walSyncsClusterWide", syncs1 - syncs0);
                    if (notifications > 0)
                        d.put("walSyncsPerNotification", CpuAccounting.round3((syncs1 - syncs0) / (double) notifications));
                }
                d.put("queueAtEnd", queueAtEnd);
                result.put("database", d);
            }
        }
    }

    // ---------------------------------------------------------------- single

    private void single() throws Exception {
        Window w = new Window();
        LongAdder accepted = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < o.concurrency(); t++) {
            Histogram h = new Histogram(MAX_MICROS, 3);
            histograms.add(h);
            int worker = t;
            workers.add(Thread.ofVirtual().name("single-" + t).start(() -> {
                long seq = 0;
                for (long now = System.nanoTime(); now < w.end; now = System.nanoTime()) {
                    boolean measured = w.measuring(now);
                    String eventId = runId + (measured ? "-m-" : "-w-") + worker + "-" + seq++;
                    try {
                        HeraldClient.Reply r = client.send(eventId, users[(int) ((worker + seq * o.concurrency()) % users.length)]);
                        long micros = (System.nanoTime() - now) / 1000;
                        if (!measured) continue;
                        if (r.status() == 202) {
                            accepted.increment();
                            h.recordValue(Math.min(micros, MAX_MICROS));
                            statuses.computeIfAbsent(firstNotificationStatus(r.body()), k -> new LongAdder()).increment();
                        } else {
                            errors.computeIfAbsent("http " + r.status(), k -> new LongAdder()).increment();
                        }
                    } catch (Exception e) {
                        if (measured) errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                        pauseAfterError();
                    }
                }
            }));
        }
        // --high-rate: HIGH single sends on a schedule beside the clients (warm-up included), to see whether they wait
        // in line behind the others at intake
        HighStream high = o.highRate() > 0 ? new HighStream(client, runId + "-h-", i -> users[i % users.length], o.highRate()) : null;
        w.observe();
        joinAll(workers);
        reportHighBeside(high, "single");
        Histogram all = new Histogram(MAX_MICROS, 3);
        histograms.forEach(all::add);
        long n = accepted.sum();
        result.put("concurrency", o.concurrency());
        result.put("durationSeconds", w.measuredSeconds());
        result.put("accepted", n);
        result.put("acceptedPerSecond", Math.round(n / w.measuredSeconds()));
        result.put("latencyMs", latency(all));
        result.put("errors", sumOf(errors));
        result.put("errorKinds", counts(errors));
        result.put("notificationStatuses", counts(statuses));
        w.report(n);
        pipeline(w, runId + "-m-", false);
        summary(String.format("single c=%d: %,d accepted/s, p50 %.1f ms, p99 %.1f ms, errors %d",
                o.concurrency(), n / (long) Math.max(1, w.measuredSeconds()), ms(all.getValueAtPercentile(50)),
                ms(all.getValueAtPercentile(99)), sumOf(errors)));
    }

    // ---------------------------------------------------------------- batch

    private void batch() throws Exception {
        Window w = new Window();
        LongAdder accepted = new LongAdder(), requests = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < o.concurrency(); t++) {
            Histogram h = new Histogram(MAX_MICROS, 3);
            histograms.add(h);
            int worker = t;
            workers.add(Thread.ofVirtual().name("batch-" + t).start(() -> {
                long seq = 0;
                for (long now = System.nanoTime(); now < w.end; now = System.nanoTime()) {
                    boolean measured = w.measuring(now);
                    String prefix = runId + (measured ? "-m-" : "-w-") + worker + "-" + seq++ + "-";
                    try {
                        HeraldClient.Reply r = client.sendBatch(prefix, o.size(), users,
                                (worker + seq * o.concurrency()) * (long) o.size());
                        long micros = (System.nanoTime() - now) / 1000;
                        if (!measured) continue;
                        if (r.status() != 200) {
                            errors.computeIfAbsent("http " + r.status(), k -> new LongAdder()).add(o.size());
                            continue;
                        }
                        requests.increment();
                        h.recordValue(Math.min(micros, MAX_MICROS));
                        int ok = 0;
                        for (JsonNode item : JSON.readTree(r.body()).path("results")) {
                            if (item.path("status").asInt() == 202) ok++;
                            else
                                errors.computeIfAbsent("item " + item.path("status").asInt(), k -> new LongAdder()).increment();
                        }
                        accepted.add(ok);
                    } catch (Exception e) {
                        if (measured) errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).add(o.size());
                        pauseAfterError();
                    }
                }
            }));
        }
        w.observe();
        joinAll(workers);
        Histogram all = new Histogram(MAX_MICROS, 3);
        histograms.forEach(all::add);
        long n = accepted.sum();
        result.put("size", o.size());
        result.put("concurrency", o.concurrency());
        result.put("durationSeconds", w.measuredSeconds());
        result.put("requests", requests.sum());
        result.put("accepted", n);
        result.put("acceptedPerSecond", Math.round(n / w.measuredSeconds()));
        result.put("requestLatencyMs", latency(all));
        result.put("errors", sumOf(errors));
        result.put("errorKinds", counts(errors));
        w.report(n);
        pipeline(w, runId + "-m-", false);
        summary(String.format("batch size=%d c=%d: %,d notifications accepted/s (%,d requests, p50 %.1f ms, p99 %.1f ms), errors %d",
                o.size(), o.concurrency(), Math.round(n / w.measuredSeconds()), requests.sum(), ms(all.getValueAtPercentile(50)),
                ms(all.getValueAtPercentile(99)), sumOf(errors)));
    }

    /** Stops the --high-rate stream that ran beside a scenario's sends and reports its request -> 202 latency. */
    private void reportHighBeside(HighStream high, String scenario) throws InterruptedException {
        if (high == null) return;
        high.stop();
        Map<String, Object> accept = latency(high.acceptLatency());
        result.put("highBeside", Map.of("rate", o.highRate(), "sent", high.sent(), "accepted", high.accepted(), "errors",
                high.errors(), "acceptMs", accept));
        System.err.printf("== %s: HIGH at %.0f/s beside the others: request -> 202 p50 %s / p99 %s ms (%d accepted, %d errors)%n",
                scenario, o.highRate(), accept.get("p50"), accept.get("p99"), high.accepted(), high.errors());
    }

    // ---------------------------------------------------------------- steady

    private void steady() throws Exception {
        Window w = new Window();
        double interval = 1e9 / o.rate();
        ConcurrentHistogram h = new ConcurrentHistogram(MAX_MICROS, 3);
        LongAdder accepted = new LongAdder(), sent = new LongAdder();
        AtomicLong lastCompletion = new AtomicLong(w.measureFrom);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(o.maxInFlight());
        long maxLagNanos = 0;
        Thread observer = Thread.ofPlatform().name("window").start(() -> {
            try {
                w.observe();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // --high-rate: HIGH single sends beside the stream; above intake's capacity, do they wait behind its backlog?
        HighStream high = o.highRate() > 0 ? new HighStream(client, runId + "-h-", i -> users[i % users.length], o.highRate()) : null;
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0;; i++) {
                long intended = w.start + Math.round(i * interval);
                if (intended >= w.end) break;
                sleepUntil(intended);
                inFlight.acquire();
                maxLagNanos = Math.max(maxLagNanos, System.nanoTime() - intended);
                boolean measured = w.measuring(intended);
                if (measured) sent.increment();
                String eventId = runId + (measured ? "-m-" : "-w-") + i;
                long seq = i;
                requests.submit(() -> {
                    try {
                        HeraldClient.Reply r = client.send(eventId, users[(int) (seq % users.length)]);
                        long done = System.nanoTime();
                        if (!measured) return;
                        lastCompletion.accumulateAndGet(done, Math::max);
                        if (r.status() == 202) {
                            accepted.increment();
                            h.recordValue(Math.min((done - intended) / 1000, MAX_MICROS));
                        } else {
                            errors.computeIfAbsent("http " + r.status(), k -> new LongAdder()).increment();
                        }
                    } catch (Exception e) {
                        if (measured) errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                    } finally {
                        inFlight.release();
                    }
                });
            }
            reportHighBeside(high, "steady");
            requests.shutdown();
            if (!requests.awaitTermination(o.requestTimeout().toSeconds() + 5, TimeUnit.SECONDS)) requests.shutdownNow();
        }
        observer.join();
        long n = accepted.sum();
        // the rate achieved: accepted sends over the measured window, stretched if answers came in after it ended
        double seconds = Math.max(w.measuredSeconds(), (lastCompletion.get() - w.measureFrom) / 1e9);
        result.put("targetRate", o.rate());
        result.put("durationSeconds", w.measuredSeconds());
        result.put("sent", sent.sum());
        result.put("accepted", n);
        result.put("achievedRate", Math.round(n / seconds));
        result.put("maxSchedulerLagMs", CpuAccounting.round2(maxLagNanos / 1e6));
        result.put("latencyMs", latency(h));
        result.put("errors", sumOf(errors));
        result.put("errorKinds", counts(errors));
        w.report(n);
        Histogram e2e = pipeline(w, runId + "-m-", true);
        summary(String.format("steady %.0f/s: achieved %,d/s, request p50 %.1f ms p99 %.1f ms (from intended time), errors %d%s",
                o.rate(), Math.round(n / seconds), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), sumOf(errors),
                e2e == null
                        ? ""
                        : String.format("; end-to-end accepted->SENT p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d SENT",
                                ms(e2e.getValueAtPercentile(50)), ms(e2e.getValueAtPercentile(99)), ms(e2e.getMaxValue()),
                                e2e.getTotalCount())));
    }

    /**
     * What the database says about the run's measured notifications: statuses and, when {@code waitForAll},
     * end-to-end latency once they have all finished (bounded wait).
     */
    private Histogram pipeline(Window w, String prefix, boolean waitForAll) throws Exception {
        if (db == null) return null;
        Instant since = w.wallStart.minusSeconds(5);
        Map<String, Object> p = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Map<String, Long> s = waitForAll ? db.waitForTerminal(appId, since, prefix, o.e2eWait()) : db.statuses(appId, since, prefix);
        p.put("statusesAtEnd", s);
        Histogram e2e = null;
        if (waitForAll) {
            p.put("waitedSeconds", CpuAccounting.round2((System.nanoTime() - t0) / 1e9));
            e2e = db.endToEnd(appId, since, prefix);
            Map<String, Object> l = latency(e2e);
            l.put("count", e2e.getTotalCount());
            p.put("endToEndMs", l);
            p.put("endToEndNote", "updated_at - created_at of SENT rows: server-side timestamps from one clock");
            // where the tail sits: one stall (a few windows) or spread over the run; and what the slowest waited for
            tail(p, since, prefix, 20, "pipeline: ");
        }
        result.put("pipeline", p);
        return e2e;
    }

    // ---------------------------------------------------------------- helpers

    /** Where the tail sits (one stall or spread over the run: end to end per 10 s of acceptance) and the slowest rows. */
    private void tail(Map<String, Object> into, Instant since, String prefix, int slowest, String label) throws java.sql.SQLException {
        List<Map<String, Object>> series = db.endToEndBy10s(appId, since, prefix);
        into.put("endToEndBy10s", series);
        into.put("slowest", db.slowest(appId, since, prefix, slowest));
        for (Map<String, Object> r : series)
            System.err.printf("== %saccepted at +%ss: %s SENT, p99 %s / max %s ms%n", label, r.get("fromSecond"), r.get("count"),
                    r.get("p99Ms"), r.get("maxMs"));
    }

    /**
     * The database look is optional: on a shared PostgreSQL with every connection taken the scenario still runs,
     * without the database figures (the JSON line says so).
     */
    private ServerDatabase connect() throws InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                return new ServerDatabase(o.dbUrl(), o.dbUser(), o.dbPassword());
            } catch (java.sql.SQLException e) {
                if (attempt == 10) {
                    System.err.println("herald-bench: no database figures: " + e.getMessage());
                    result.put("databaseUnavailable", e.getMessage());
                    return null;
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Bulk import, then one broadcast to everyone imported: users imported per second (1000 per call, sequential
     * calls) and recipients fanned out per second (from the 202 to the broadcast's COMPLETED, read by polling).
     */
    private void audience() throws Exception {
        String topic = runId;
        int cores = Runtime.getRuntime().availableProcessors();
        CpuAccounting.Snapshot c0 = cpu.snapshot();
        RssSampler rss = new RssSampler(o.serverPid(), java.time.Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        for (int from = 0; from < users.length; from += 1000) {
            StringBuilder b = new StringBuilder(1000 * 90).append("{\"users\":[");
            for (int i = from; i < Math.min(users.length, from + 1000); i++) {
                if (i > from) b.append(',');
                // one iOS device each (issue 10: a million users with a device each), token unique per run and user
                b.append("{\"userId\":\"").append(users[i]).append("\",\"email\":\"").append(users[i])
                        .append("@bench.example.com\",\"devices\":[{\"platform\":\"IOS\",\"token\":\"")
                        .append(String.format("%016x%048x", runId.hashCode() & 0xffffffffL, i))
                        .append("\"}],\"topics\":[\"").append(topic).append("\"]}");
            }
            HeraldClient.Reply r = client.post("/v1/users/batch", b.append("]}").toString());
            if (r.status() != 200) throw new IOException("POST /v1/users/batch answered " + r.status() + ": " + r.body());
        }
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        CpuAccounting.Snapshot c1 = cpu.snapshot();
        Instant since = Instant.now().minusSeconds(5); // server timestamps; the same machine's clock
        long t1 = System.nanoTime();
        HeraldClient.Reply sent = client.post("/v1/notifications", "{\"eventId\":\"" + runId + "\",\"topic\":\"" + topic
                + "\",\"channels\":[\"EMAIL\"],\"category\":\"transactional\",\"content\":{\"subject\":\"News\",\"text\":\"Hello from herald-bench\"}}");
        if (sent.status() != 202) throw new IOException("broadcast answered " + sent.status() + ": " + sent.body());
        String id = JSON.readTree(sent.body()).get("broadcastId").asString();
        // only where the database answered (connect() tells when it did not)
        FanOutSampler database = db == null ? null : new FanOutSampler(o.dbUrl(), o.dbUser(), o.dbPassword());
        String highPrefix = runId + "-h-";
        HighStream high = o.highRate() > 0 ? new HighStream(client, highPrefix, i -> users[i % users.length], o.highRate()) : null;
        JsonNode view;
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(30).toNanos();
        do {
            // polling the broadcast's progress; once a second: its counts by status cost PostgreSQL a pass over the
            // broadcast's notifications each time (at 5 polls/s that was a visible share of the database's CPU)
            Thread.sleep(1000);
            HeraldClient.Reply r = client.get("/v1/broadcasts/" + id);
            // an overloaded server may answer 503 (no free connection): that is no end of the broadcast, ask again
            view = r.status() == 200 ? JSON.readTree(r.body()) : null;
        } while ((view == null || view.get("status").asString().equals("FANNING_OUT")) && System.nanoTime() < deadline);
        // from the server's own timestamps (202 to COMPLETED), not to the poll that saw it
        double fanSeconds = view != null && view.hasNonNull("finishedAt")
                ? java.time.Duration
                        .between(Instant.parse(view.get("createdAt").asString()), Instant.parse(view.get("finishedAt").asString()))
                        .toNanos() / 1e9
                : (System.nanoTime() - t1) / 1e9;
        CpuAccounting.Snapshot c2 = cpu.snapshot();
        rss.stop();
        if (database != null) {
            Map<String, Object> d = database.stop();
            result.put("databaseDuringFanOut", d);
            System.err.printf("== audience: autovacuum busy in %s of %s samples of the fan-out: %s%n", d.get("withAutovacuum"),
                    d.get("samples"), d.get("autovacuumByTable"));
            System.err.printf("== audience: backends during the fan-out (%s samples): %s%n", d.get("activeBackendSamples"),
                    d.get("activeBackendsByWait"));
            System.err.printf(
                    "== audience: WAL during the fan-out: %s MB, %s full-page images, %s checkpoints; the machine's dirty page cache peaked at %s MB%n",
                    d.get("walBytes") instanceof Long b ? b / 1_000_000 : "?", d.get("walFullPageImages"), d.get("checkpoints"),
                    d.getOrDefault("machineDirtyPeakMb", "?"));
        }
        result.put("serverRssMiB", rss.samples());
        if (high != null) {
            Thread.sleep(o.highAfter().toMillis()); // HIGH goes on while the broadcast's notifications drain
            high.stop();
            highDuringBroadcast(high, since, highPrefix, fanSeconds, id);
        }
        // CPU per imported user and per queued recipient ("notification" in the keys below)
        result.put("importCpu", CpuAccounting.between(c0, c1, users.length, cores));
        result.put("fanOutCpu", CpuAccounting.between(c1, c2, view.get("recipients").asLong(), cores));
        result.put("audience", Map.of("imported", users.length, "importSeconds", round(importSeconds),
                "importedPerSecond", Math.round(users.length / importSeconds), "broadcastStatus", view.get("status").asString(),
                "recipients", view.get("recipients").asLong(), "fanOutSeconds", round(fanSeconds),
                "recipientsPerSecond", Math.round(view.get("recipients").asLong() / fanSeconds)));
        System.err.printf("audience: %d users imported in %.1f s (%.0f/s); broadcast to %d recipients %s in %.1f s (%.0f/s)%n",
                users.length, importSeconds, users.length / importSeconds, view.get("recipients").asLong(), view.get("status").asString(),
                fanSeconds, view.get("recipients").asLong() / fanSeconds);
    }

    /** The HIGH stream's end-to-end latency (server timestamps), and how far the broadcast had drained meanwhile. */
    private void highDuringBroadcast(HighStream high, Instant since, String prefix, double fanSeconds, String broadcastId)
            throws Exception {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("rate", o.highRate());
        h.put("seconds", round(fanSeconds + o.highAfter().toMillis() / 1000.0));
        h.put("afterFanOutSeconds", o.highAfter().toSeconds());
        h.put("sent", high.sent());
        h.put("accepted", high.accepted());
        h.put("errors", high.errors());
        h.put("acceptMs", latency(high.acceptLatency()));
        System.err.printf("== audience: HIGH request -> 202 p50 %s / p99 %s ms%n", latency(high.acceptLatency()).get("p50"),
                latency(high.acceptLatency()).get("p99"));
        HeraldClient.Reply end = client.get("/v1/broadcasts/" + broadcastId);
        h.put("broadcastByStatusAtEnd", end.status() == 200 ? JSON.readTree(end.body()).get("byStatus") : "answered " + end.status());
        if (db != null) {
            h.put("statuses", db.waitForTerminal(appId, since, prefix, o.e2eWait()));
            Histogram e2e = db.endToEnd(appId, since, prefix);
            Map<String, Object> l = latency(e2e);
            l.put("count", e2e.getTotalCount());
            h.put("endToEndMs", l);
            Map<String, Histogram> phases = db.phases(appId, since, prefix);
            h.put("acceptedToClaimMs", latency(phases.get("toClaim")));
            h.put("claimToSentMs", latency(phases.get("claimToSent")));
            tail(h, since, prefix, 40, "audience: HIGH ");
            System.err.printf("== audience: HIGH accepted->claimed p50 %s / p99 %s ms; claimed->SENT p50 %s / p99 %s ms%n",
                    latency(phases.get("toClaim")).get("p50"), latency(phases.get("toClaim")).get("p99"),
                    latency(phases.get("claimToSent")).get("p50"), latency(phases.get("claimToSent")).get("p99"));
            System.err.printf("== audience: HIGH at %.0f/s during the broadcast: accepted->SENT p50 %s / p99 %s ms (%d SENT of %d)%n",
                    o.highRate(), l.get("p50"), l.get("p99"), e2e.getTotalCount(), high.sent());
        }
        result.put("highDuringBroadcast", h);
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }

    /** PUTs every recipient (idempotent), 16 at a time. */
    private void ensureUsers() throws Exception {
        Semaphore permits = new Semaphore(16);
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String u : users) {
                permits.acquire();
                ex.submit(() -> {
                    try {
                        client.ensureUser(u, u + "@bench.example.com");
                    } catch (Exception e) {
                        failures.computeIfAbsent(e.getMessage(), k -> new LongAdder()).increment();
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        if (!failures.isEmpty()) throw new IOException("could not create the recipients: " + counts(failures));
    }

    private static String firstNotificationStatus(String body) {
        int i = body.indexOf("\"status\":\"");
        if (i < 0) return "?";
        int j = body.indexOf('"', i + 10);
        return j < 0 ? "?" : body.substring(i + 10, j);
    }

    static Map<String, Object> latency(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", ms(h.getValueAtPercentile(50)));
        m.put("p90", ms(h.getValueAtPercentile(90)));
        m.put("p99", ms(h.getValueAtPercentile(99)));
        m.put("p999", ms(h.getValueAtPercentile(99.9)));
        m.put("max", ms(h.getMaxValue()));
        m.put("mean", CpuAccounting.round3(h.getMean() / 1000));
        return m;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static long sumOf(Map<String, LongAdder> m) {
        return m.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Map<String, Long> counts(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    /** A failing server must not turn a closed loop into a busy loop. */
    private static void pauseAfterError() {
        LockSupport.parkNanos(50_000_000L);
    }

    private void joinAll(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + o.requestTimeout().toNanos() + 5_000_000_000L;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                threads.forEach(Thread::interrupt);
                return;
            }
        }
    }

    private static void summary(String s) throws IOException {
        System.err.println("== " + s);
    }
}
