package io.herald.bench.inbox;

import io.herald.bench.CpuAccounting;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The inbox under many open streams: opens {@code --streams} Server-Sent Events streams (one user each), then sends
 * {@code --messages} IN_APP notifications at {@code --rate} per second to random users among them (open loop: each
 * send has an intended time on a fixed schedule) and measures, per message, the time from its intended send time to
 * its {@code message} event on the user's stream. With {@code --server-pid} (server on this machine) it also measures
 * the server's live heap before and with the streams open (heap per stream), its RSS and threads, and its CPU while
 * the streams idle ({@code --idle-seconds}) and per notification while sending. Prints one JSON line (stdout) and a
 * summary (stderr).
 *
 * <pre>java -cp herald-bench.jar io.herald.bench.inbox.InboxBench --url http://127.0.0.1:8080 --app key:secret
 *      [--streams 1000] [--messages 500] [--rate 50] [--server-pid PID] [--idle-seconds 5]</pre>
 */
public final class InboxBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(
                Map.of("url", "http://127.0.0.1:8080", "streams", "1000", "messages", "500", "rate", "50",
                        "server-pid", "0", "idle-seconds", "5"));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        if (!a.containsKey("app")) {
            System.err.println(
                    "usage: InboxBench --url URL --app appKey:appSecret [--streams N] [--messages M] [--rate R] [--server-pid PID] [--idle-seconds S]");
            System.exit(2);
        }
        new InboxBench(a.get("url"), a.get("app"), Integer.parseInt(a.get("streams")), Integer.parseInt(a.get("messages")),
                Double.parseDouble(a.get("rate")), Long.parseLong(a.get("server-pid")), Integer.parseInt(a.get("idle-seconds"))).run();
    }

    private final String url;
    private final String basic;
    private final int streams;
    private final int messages;
    private final double rate;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String run = "inbox-" + Long.toString(System.currentTimeMillis(), 36);
    private final Histogram latency = new ConcurrentHistogram(120_000_000L, 3);
    private final long[] intendedNanos;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong acceptErrors = new AtomicLong();
    private final long serverPid;
    private final int idleSeconds;

    private InboxBench(String url, String app, int streams, int messages, double rate, long serverPid, int idleSeconds) {
        this.serverPid = serverPid;
        this.idleSeconds = idleSeconds;
        this.url = url.replaceAll("/+$", "");
        this.basic = "Basic " + Base64.getEncoder().encodeToString(app.getBytes(StandardCharsets.UTF_8));
        this.streams = streams;
        this.messages = messages;
        this.rate = rate;
        this.intendedNanos = new long[messages];
    }

    private void run() throws Exception {
        String[] tokens = new String[streams];
        long setup = System.nanoTime();
        forEachUser(32, u -> {
            call("PUT", "/v1/users/" + user(u), "{}");
            var r = call("POST", "/v1/users/" + user(u) + "/inbox-token", "{}");
            if (r.statusCode() != 200 && r.statusCode() != 201)
                throw new IllegalStateException("inbox-token answered " + r.statusCode() + ": " + r.body());
            tokens[u] = JSON.readTree(r.body()).get("token").asString();
        });
        System.err.printf("%d users and tokens in %d ms%n", streams, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - setup));

        ServerProbe probe = serverPid > 0 ? new ServerProbe(serverPid) : null;
        CpuAccounting cpu = new CpuAccounting(serverPid, 0);
        long heapBefore = probe == null ? -1 : probe.liveHeapBytes();
        CountDownLatch connected = new CountDownLatch(streams);
        CountDownLatch done = new CountDownLatch(messages);
        List<InputStream> open = java.util.Collections.synchronizedList(new ArrayList<>());
        long connectStart = System.nanoTime();
        forEachUser(64, u -> {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/inbox/stream"))
                    .header("Authorization", "Bearer " + tokens[u]).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) throw new IllegalStateException("stream " + u + " answered " + r.statusCode());
            open.add(r.body());
            Thread.ofVirtual().start(() -> read(r.body(), connected, done));
        });
        if (!connected.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("streams did not all connect");
        long connectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectStart);
        System.err.printf("%d streams open in %d ms%n", streams, connectMs);
        Map<String, Object> server = new LinkedHashMap<>();
        if (probe != null) {
            long heapOpen = probe.liveHeapBytes();
            server.put("liveHeapBeforeMb", mb(heapBefore));
            server.put("liveHeapWithStreamsMb", mb(heapOpen));
            server.put("heapPerStreamKb", Math.round((heapOpen - heapBefore) / 1024.0 / streams * 10) / 10.0);
            server.put("rssWithStreamsMb", probe.status("VmRSS") / 1024);
            server.put("threadsWithStreams", probe.status("Threads"));
            var idleFrom = cpu.snapshot();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(idleSeconds)); // a measuring window, not a wait for something
            server.put("idleCpu", CpuAccounting.between(idleFrom, cpu.snapshot(), 0, Runtime.getRuntime().availableProcessors()));
            System.err.printf("server: live heap %s MB before, %s MB with %d streams (%s KB each), RSS %s MB%n",
                    server.get("liveHeapBeforeMb"), server.get("liveHeapWithStreamsMb"), streams, server.get("heapPerStreamKb"),
                    server.get("rssWithStreamsMb"));
        }
        var sendFrom = cpu.snapshot();

        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 100_000_000L;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int m = 0; m < messages; m++) {
                long intended = start + m * periodNanos;
                intendedNanos[m] = intended;
                LockSupport.parkNanos(intended - System.nanoTime());
                int msg = m;
                int u = ThreadLocalRandom.current().nextInt(streams);
                senders.submit(() -> {
                    var r = call("POST", "/v1/notifications", """
                            {"eventId":"%s-%d","userId":"%s","channels":["IN_APP"],"content":{"title":"m%d","body":"bench"}}"""
                            .formatted(run, msg, user(u), msg));
                    if (r.statusCode() != 202) acceptErrors.incrementAndGet();
                    return null;
                });
            }
        }
        boolean all = done.await(60, TimeUnit.SECONDS);
        if (probe != null) {
            server.put("sendCpu", CpuAccounting.between(sendFrom, cpu.snapshot(), messages, Runtime.getRuntime().availableProcessors()));
            server.put("rssPeakMb", probe.status("VmHWM") / 1024);
        }
        open.forEach(s -> {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", "inbox-streams");
        out.put("streams", streams);
        out.put("messages", messages);
        out.put("ratePerSecond", rate);
        out.put("connectAllMs", connectMs);
        out.put("received", received.get());
        out.put("acceptErrors", acceptErrors.get());
        out.put("complete", all);
        out.put("sendToEventMs", Map.of("p50", ms(latency.getValueAtPercentile(50)), "p99", ms(latency.getValueAtPercentile(99)),
                "max", ms(latency.getMaxValue())));
        if (!server.isEmpty()) out.put("server", server);
        out.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println(JSON.writeValueAsString(out));
        System.err.printf("send -> message event over %d open streams at %.0f/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d/%d received)%n",
                streams, rate, ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()),
                received.get(), messages);
        System.exit(0);
    }

    private interface UserTask {
        void run(int user) throws Exception;
    }

    /** Runs the task for every user, {@code parallelism} at a time; throws the first failure once all ran. */
    private void forEachUser(int parallelism, UserTask task) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore parallel = new Semaphore(parallelism);
            for (int i = 0; i < streams; i++) {
                int u = i;
                parallel.acquire();
                pool.execute(() -> {
                    try {
                        task.run(u);
                    } catch (Exception e) {
                        failed.compareAndSet(null, e);
                    } finally {
                        parallel.release();
                    }
                });
            }
        }
        if (failed.get() != null) throw failed.get();
    }

    private void read(InputStream body, CountDownLatch connected, CountDownLatch done) {
        boolean first = true;
        String event = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("event:")) event = line.substring(6).trim();
                else if (line.startsWith("data:")) {
                    if (first && "count".equals(event)) {
                        first = false;
                        connected.countDown();
                    } else if ("message".equals(event)) {
                        long now = System.nanoTime();
                        JsonNode item = JSON.readTree(line.substring(5).trim());
                        int m = Integer.parseInt(item.get("title").asString().substring(1));
                        latency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - intendedNanos[m])));
                        received.incrementAndGet();
                        done.countDown();
                    }
                }
            }
        } catch (Exception e) {
            // closed at the end of the run
        }
    }

    private String user(int i) {
        return run + "-u" + i;
    }

    private HttpResponse<String> call(String method, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", basic)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
