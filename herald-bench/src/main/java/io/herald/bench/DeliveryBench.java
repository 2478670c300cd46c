package io.herald.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Issue 9's delivery-side scenarios, each printing one JSON line (and appending it to {@code --out}):
 * <ul>
 * <li>{@code ios}: users with one iOS device each, one push each through the batch API, delivered to a MockApnsServer
 * that this JVM runs ({@link IosPushScenario});</li>
 * <li>{@code priority}: HIGH end-to-end latency while a LOW backlog drains ({@link PriorityDrainScenario}).</li>
 * </ul>
 * Options are {@code --name value}; see {@link #USAGE}.
 */
public final class DeliveryBench {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Items per POST /v1/users/batch and /v1/notifications/batch: the API's limit. */
    static final int BATCH_LIMIT = 1000;

    static final String USAGE = """
            usage: java -cp ... io.herald.bench.DeliveryBench <ios|priority> --url URL --app KEY:SECRET --db-url JDBC [options]
              common:   --server-pid PID (CPU accounting)  --db-user postgres  --out FILE  --size 1000 (items per batch call)
                        --callers 1 (batch calls at once)
              ios:      --users 10000 --apns-dir DIR (credentials and server-args are written there; the server is started
                        by the caller with those args, this JVM waits for its readiness)  --wait 10m (for every delivery)
                        --rtt 0s (the mock's round trip: a relay on loopback delays each direction by half)
                        --warmup 60s (rounds of one push per user, not reported, for this long: the server's JIT)
                        --rounds 3 (measured rounds after the warm-up; the median is reported)
                        --server-pid-file FILE (written by the caller once the server runs, read after readiness)
                        --drain-dir DIR: the dispatch side alone; the server has no workers, this writes DIR/filled once
                        every push is queued and waits for DIR/worker.pid (the caller's worker on the same database)
              priority: --low 100000 (LOW backlog)  --rate 20 --duration 30s (HIGH stream)  --wait 2m (HIGH to finish)
            """;

    private DeliveryBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("ios") || args[0].equals("priority"))) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Map<String, String> m = options(args);
        String app = m.get("app");
        if (app == null || app.indexOf(':') <= 0 || !m.containsKey("url") || !m.containsKey("db-url")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String url = m.get("url").replaceAll("/+$", "");
        String host = URI.create(url).getHost();
        if (!("127.0.0.1".equals(host) || "localhost".equals(host))) throw new IllegalArgumentException("loopback only, got " + host);
        String appKey = app.substring(0, app.indexOf(':'));
        int size = Math.clamp(Integer.parseInt(m.getOrDefault("size", "1000")), 1, BATCH_LIMIT);
        int callers = Math.clamp(Integer.parseInt(m.getOrDefault("callers", "1")), 1, 64);
        Map<String, Object> result;
        try (HeraldClient client = new HeraldClient(url, appKey, app.substring(app.indexOf(':') + 1), Duration.ofSeconds(60))) {
            if (args[0].equals("ios")) {
                Path dir = Path.of(m.getOrDefault("apns-dir", Files.createTempDirectory("herald-ios-bench").toString()));
                try (IosPushScenario s = IosPushScenario.startMock(dir, Options.duration(m.getOrDefault("rtt", "0s")))) {
                    awaitReady(client, Options.duration(m.getOrDefault("ready-wait", "10m")));
                    // the caller starts the server after the mock, so its pid can only be read now
                    long serverPid = m.containsKey("server-pid-file")
                            ? Long.parseLong(Files.readString(Path.of(m.get("server-pid-file"))).trim())
                            : Long.parseLong(m.getOrDefault("server-pid", "0"));
                    try (ServerDatabase db = new ServerDatabase(m.get("db-url"), m.getOrDefault("db-user", "postgres"),
                            m.get("db-password"))) {
                        Context c = context(client, db, appKey, size, callers, serverPid);
                        int users = Integer.parseInt(m.getOrDefault("users", "10000"));
                        Duration wait = Options.duration(m.getOrDefault("wait", "10m"));
                        Path drain = m.containsKey("drain-dir") ? Path.of(m.get("drain-dir")) : null;
                        int rounds = Math.max(1, Integer.parseInt(m.getOrDefault("rounds", "3")));
                        Duration warmup = Options.duration(m.getOrDefault("warmup", "60s"));
                        result = drain == null
                                ? s.run(c, users, warmup, rounds, wait)
                                : s.drain(c, users, wait, drain.resolve("filled"), drain.resolve("worker.pid"));
                    }
                }
            } else {
                try (ServerDatabase db = new ServerDatabase(m.get("db-url"), m.getOrDefault("db-user", "postgres"), m.get("db-password"))) {
                    Context c = context(client, db, appKey, size, callers, Long.parseLong(m.getOrDefault("server-pid", "0")));
                    result = new PriorityDrainScenario(c).run(Integer.parseInt(m.getOrDefault("low", "100000")),
                            Double.parseDouble(m.getOrDefault("rate", "20")), Options.duration(m.getOrDefault("duration", "30s")),
                            Options.duration(m.getOrDefault("wait", "2m")));
                }
            }
        }
        String line = JSON.writeValueAsString(result);
        System.out.println(line);
        if (m.containsKey("out")) {
            Files.writeString(Path.of(m.get("out")), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** What both scenarios share: the API, the server's database, the app's id, CPU accounting and a run id. */
    record Context(HeraldClient client, ServerDatabase db, long appId, int batchSize, int callers, CpuAccounting cpu, String runId) {

        /**
         * POSTs {@code count} items in calls of {@link #batchSize()} to {@code path} under {@code arrayName};
         * {@code item.apply(i)} is the JSON of item i; {@link #callers()} calls at once. Returns how many items were answered
         * with a status of {@code okStatus}'s class (2xx).
         */
        long postInBatches(String path, String arrayName, int count, IntFunction<String> item, int okStatus)
                throws IOException, InterruptedException {
            int calls = (count + batchSize - 1) / batchSize;
            AtomicInteger next = new AtomicInteger();
            LongAdder ok = new LongAdder();
            AtomicReference<Exception> failure = new AtomicReference<>();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int k = 0; k < callers; k++) {
                    ex.submit(() -> {
                        for (int call = next.getAndIncrement(); call < calls && failure.get() == null; call = next.getAndIncrement()) {
                            try {
                                ok.add(postBatch(path, arrayName, call * batchSize, Math.min(count, (call + 1) * batchSize), item,
                                        okStatus));
                            } catch (Exception e) {
                                failure.compareAndSet(null, e);
                            }
                        }
                    });
                }
            }
            if (failure.get() instanceof IOException e) throw e;
            if (failure.get() != null) throw new IOException(failure.get());
            return ok.sum();
        }

        private long postBatch(String path, String arrayName, int from, int to, IntFunction<String> item, int okStatus)
                throws IOException, InterruptedException {
            StringBuilder b = new StringBuilder((to - from) * 200).append("{\"").append(arrayName).append("\":[");
            for (int i = from; i < to; i++) {
                if (i > from) b.append(',');
                b.append(item.apply(i));
            }
            HeraldClient.Reply r = client.post(path, b.append("]}").toString());
            if (r.status() != 200) throw new IOException("POST " + path + " answered " + r.status() + ": " + r.body());
            long ok = 0;
            for (JsonNode res : JSON.readTree(r.body()).get("results")) {
                JsonNode st = res.get("status");
                // the class of the answer: a user import answers 201 (created) or 200 (updated), both imported
                if (st == null || !st.isNumber() || st.asInt() / 100 == okStatus / 100) ok++;
            }
            return ok;
        }
    }

    private static Context context(HeraldClient client, ServerDatabase db, String appKey, int size, int callers, long serverPid)
            throws Exception {
        long postmaster = db.postmasterPid().orElse(0);
        String runId = "d" + Long.toString(System.currentTimeMillis(), 36);
        return new Context(client, db, db.appId(appKey), size, callers, new CpuAccounting(serverPid, postmaster), runId);
    }

    private static void awaitReady(HeraldClient client, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.get("/actuator/health/readiness").body().contains("\"UP\"")) return;
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(200); // polling an external process's readiness, as run.sh does
        }
        throw new IOException("the server did not become ready within " + timeout);
    }

    static Map<String, Object> cpuPer(CpuAccounting.Snapshot a, CpuAccounting.Snapshot b, long units) {
        return CpuAccounting.between(a, b, units, Runtime.getRuntime().availableProcessors());
    }

    static double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }

    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        List<String> rest = List.of(args).subList(1, args.length);
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (!a.startsWith("--") || i + 1 >= rest.size()) throw new IllegalArgumentException("expected --name value at " + a);
            m.put(a.substring(2), rest.get(++i));
        }
        String env = System.getenv("HERALD_BENCH_APP");
        if (!m.containsKey("app") && env != null) m.put("app", env);
        return m;
    }
}
