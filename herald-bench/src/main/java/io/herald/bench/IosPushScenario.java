package io.herald.bench;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import io.herald.testkit.apns.ApnsTestCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 9: "10,000 users with one iOS device each, one push each through the batch API to a mock APNs". This JVM runs
 * Pushy's MockApnsServer (accepting everything, as ApnsBench's does) and writes the server options that point Herald's
 * APNs provider at it ({@code server-args} in the credentials directory, one per line; the caller starts the server
 * with them). Deliveries are counted where they arrive: at the mock.
 */
final class IosPushScenario implements AutoCloseable {

    private final MockApnsServer mock;
    private LatencyProxy proxy; // between Herald and the mock when a round trip is asked for
    private Duration roundTrip = Duration.ZERO;
    private final LongAdder delivered = new LongAdder();
    private final AtomicLong firstDelivery = new AtomicLong();
    private final AtomicLong lastDelivery = new AtomicLong();
    private final AtomicReference<CountDownLatch> allDelivered = new AtomicReference<>(new CountDownLatch(0));
    private final CountDownLatch firstArrived = new CountDownLatch(1);

    private IosPushScenario(ApnsTestCredentials credentials) throws IOException {
        mock = new MockApnsServerBuilder()
                .setServerCredentials(credentials.serverCertificateChainPem().toFile(), credentials.serverPrivateKeyPkcs8Pem().toFile(),
                        null)
                .setTrustedClientCertificateChain(credentials.caCertificatePem().toFile())
                .setHandlerFactory(session -> (headers, payload) -> arrived())
                .build();
    }

    /** Generates credentials into {@code dir}, starts the mock, and writes {@code dir/server-args} for the server. */
    static IosPushScenario startMock(Path dir, Duration roundTrip) throws Exception {
        Files.createDirectories(dir);
        ApnsTestCredentials credentials = ApnsTestCredentials.generate(dir);
        IosPushScenario s = new IosPushScenario(credentials);
        int port = s.mock.start(0).get(10, TimeUnit.SECONDS);
        if (!roundTrip.isZero()) {
            s.proxy = LatencyProxy.start(port, roundTrip);
            s.roundTrip = roundTrip;
            System.err.println("ios: the mock is " + roundTrip.toMillis() + " ms away (round trip) behind :" + s.proxy.port());
            port = s.proxy.port();
        }
        List<String> args = List.of("--herald.providers.apns.topic=" + credentials.topic(),
                "--herald.providers.apns.signing-key-file=" + credentials.signingKeyP8(),
                "--herald.providers.apns.key-id=" + credentials.keyId(), "--herald.providers.apns.team-id=" + credentials.teamId(),
                "--herald.providers.apns.host=localhost", "--herald.providers.apns.port=" + port,
                "--herald.providers.apns.trusted-server-ca=" + credentials.caCertificatePem());
        Path tmp = dir.resolve("server-args.tmp");
        Files.write(tmp, args);
        Files.move(tmp, dir.resolve("server-args"), StandardCopyOption.ATOMIC_MOVE); // the caller waits for this file
        System.err.println("ios: MockApnsServer on :" + port + "; server options in " + dir.resolve("server-args"));
        return s;
    }

    private void arrived() {
        long now = System.nanoTime();
        firstDelivery.compareAndSet(0, now);
        lastDelivery.set(now);
        delivered.increment();
        firstArrived.countDown();
        allDelivered.get().countDown();
    }

    /**
     * The dispatch side alone: the pushes are posted to a server without workers ({@code herald.roles=api,scheduler}),
     * then this writes {@code filled} and the caller stops that server and starts a worker on the same database, writing
     * its pid to {@code workerPidFile}. The drain is timed at the mock, first arrival to last, and its CPU (the
     * worker's and PostgreSQL's) from the first arrival on, so the worker's start-up is not counted.
     */
    Map<String, Object> drain(DeliveryBench.Context c, int users, Duration wait, Path filled, Path workerPidFile) throws Exception {
        String prefix = c.runId() + "-p-";
        importUsers(c, users);
        allDelivered.set(new CountDownLatch(users));
        Instant since = Instant.now().minusSeconds(5);
        long t1 = System.nanoTime();
        long accepted = postPushes(c, users, prefix);
        double acceptSeconds = (System.nanoTime() - t1) / 1e9;
        System.err.printf("ios drain: %d of %d pushes queued in %.1f s; starting the worker%n", accepted, users, acceptSeconds);
        Files.writeString(filled, "filled\n");
        long deadline = System.nanoTime() + wait.toNanos();
        while (!Files.exists(workerPidFile) && System.nanoTime() < deadline) Thread.sleep(100); // an external process's file
        long workerPid = Long.parseLong(Files.readString(workerPidFile).trim());
        CpuAccounting cpu = new CpuAccounting(workerPid, c.db().postmasterPid().orElse(0));
        boolean started = firstArrived.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        CpuAccounting.Snapshot c0 = cpu.snapshot();
        long first = System.nanoTime();
        boolean all = started && allDelivered.get().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        CpuAccounting.Snapshot c1 = cpu.snapshot();
        long atMock = delivered.sum();
        double seconds = (lastDelivery.get() - first) / 1e9;
        Map<String, Long> statuses = c.db().waitForTerminal(c.appId(), since, prefix, Duration.ofSeconds(30));
        Map<String, Object> r = DeliveryBench.ordered("scenario", "ios-drain", "runId", c.runId(), "users", users, "queued", accepted,
                "deliveredAtMock", atMock, "allDelivered", all, "drainSeconds", DeliveryBench.round1(seconds),
                "drainPerSecond", atMock < 2 || seconds <= 0 ? 0 : Math.round(atMock / seconds), "statuses", statuses,
                "cpu", DeliveryBench.cpuPer(c0, c1, Math.max(1, atMock)));
        System.err.printf("== ios drain: %d queued, %d delivered at the mock in %.1f s (%d/s); %s%n", accepted, atMock, seconds,
                r.get("drainPerSecond"), r.get("cpu"));
        return r;
    }

    /** @return how many users were imported (answered 200) */
    private static long importUsers(DeliveryBench.Context c, int users) throws IOException, InterruptedException {
        int tokenSalt = c.runId().hashCode();
        long t0 = System.nanoTime();
        long imported = c.postInBatches("/v1/users/batch", "users", users, i -> "{\"userId\":\"" + c.runId() + "-u-" + i
                + "\",\"devices\":[{\"platform\":\"IOS\",\"token\":\"" + String.format("%016x%048x", tokenSalt & 0xffffffffL, i) + "\"}]}",
                200);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf("ios: %d users imported in %.1f s%n", imported, seconds);
        return imported;
    }

    private static long postPushes(DeliveryBench.Context c, int users, String prefix) throws IOException, InterruptedException {
        return c.postInBatches("/v1/notifications/batch", "notifications", users, i -> "{\"eventId\":\"" + prefix + i
                + "\",\"userId\":\"" + c.runId() + "-u-" + i + "\",\"channels\":[\"PUSH\"],\"category\":\"transactional\","
                + "\"content\":{\"title\":\"Your order is ready\",\"body\":\"Hello from herald-bench\"}}", 202);
    }

    /**
     * Imports the users once, sends rounds of one push per user (fresh eventIds each round) for {@code warmup} without
     * reporting them, then {@code rounds} measured rounds, and reports the median one (by deliveries/s) with every
     * round's rate. The warm-up is the other scenarios' (SERVER_WARMUP): a fresh JVM spends half its CPU compiling
     * through the first 50,000 pushes, and the rate doubles after them (docs/benchmarks.md, twentieth session).
     */
    Map<String, Object> run(DeliveryBench.Context c, int users, Duration warmup, int rounds, Duration wait) throws Exception {
        long t0 = System.nanoTime();
        long imported = importUsers(c, users);
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        List<Long> warm = new ArrayList<>();
        long warmEnd = System.nanoTime() + warmup.toNanos();
        for (int round = 1; System.nanoTime() < warmEnd; round++) {
            Map<String, Object> r = round(c, users, c.runId() + "-w" + round + "-", wait);
            warm.add((Long) r.get("deliveriesPerSecond"));
            if (!Boolean.TRUE.equals(r.get("allDelivered"))) return report(c, users, imported, importSeconds, warm, List.of(r));
        }
        List<Map<String, Object>> measured = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Map<String, Object> r = round(c, users, c.runId() + "-p" + round + "-", wait);
            measured.add(r);
            if (!Boolean.TRUE.equals(r.get("allDelivered"))) break; // a lost round would spill into the next one's count
        }
        return report(c, users, imported, importSeconds, warm, measured);
    }

    /** The median measured round (the last one if it lost pushes), with every round's rate beside it. */
    private Map<String, Object> report(DeliveryBench.Context c, int users, long imported, double importSeconds, List<Long> warm,
                                       List<Map<String, Object>> measured) {
        List<Long> rates = measured.stream().map(r -> (Long) r.get("deliveriesPerSecond")).toList();
        Map<String, Object> pick = measured.getLast();
        if (Boolean.TRUE.equals(pick.get("allDelivered"))) {
            List<Map<String, Object>> sorted = new java.util.ArrayList<>(measured);
            sorted.sort(Comparator.comparingLong(r -> (Long) r.get("deliveriesPerSecond")));
            pick = sorted.get(sorted.size() / 2);
        }
        Map<String, Object> out = DeliveryBench.ordered("scenario", "ios-push", "runId", c.runId(), "users", users, "callers", c.callers(),
                "imported", imported, "importedPerSecond", Math.round(imported / importSeconds), "rttMs", roundTrip.toMillis(),
                "warmupRounds", warm.size(), "warmupDeliveriesPerSecond", warm, "rounds", measured.size(),
                "roundsDeliveriesPerSecond", rates);
        out.putAll(pick);
        return out;
    }

    private Map<String, Object> round(DeliveryBench.Context c, int users, String prefix, Duration wait) throws Exception {
        delivered.reset();
        firstDelivery.set(0);
        allDelivered.set(new CountDownLatch(users));
        Instant since = Instant.now().minusSeconds(5); // server timestamps; the same machine's clock
        CpuAccounting.Snapshot c0 = c.cpu().snapshot();
        long t1 = System.nanoTime();
        long accepted = postPushes(c, users, prefix);
        double acceptSeconds = (System.nanoTime() - t1) / 1e9;
        System.err.printf("ios: %d of %d pushes accepted in %.1f s; waiting for the mock%n", accepted, users, acceptSeconds);
        boolean all = allDelivered.get().await(wait.toMillis(), TimeUnit.MILLISECONDS);
        CpuAccounting.Snapshot c1 = c.cpu().snapshot();
        long atMock = delivered.sum();
        double sendToLastDelivery = (lastDelivery.get() - t1) / 1e9;
        Map<String, Long> statuses = c.db().waitForTerminal(c.appId(), since, prefix, Duration.ofSeconds(30));
        double allSent = c.db().firstAcceptedToLastSent(c.appId(), since, prefix);
        Map<String, Object> r = DeliveryBench.ordered("accepted", accepted, "acceptSeconds", DeliveryBench.round1(acceptSeconds),
                "acceptedPerSecond", Math.round(accepted / acceptSeconds), "deliveredAtMock", atMock, "allDelivered", all,
                "firstSendToLastDeliverySeconds", DeliveryBench.round1(sendToLastDelivery),
                "deliveriesPerSecond", atMock == 0 ? 0L : Math.round(atMock / sendToLastDelivery),
                "deliveriesPerSecondAtMockOnly", atMock < 2 ? 0 : Math.round(atMock / ((lastDelivery.get() - firstDelivery.get()) / 1e9)),
                "firstAcceptedToLastSentSeconds", DeliveryBench.round1(allSent), "statuses", statuses,
                "cpu", DeliveryBench.cpuPer(c0, c1, Math.max(1, atMock)));
        System.err.printf(
                "== ios %s: %d users, accepted %d/s, %d delivered at the mock (%d/s from first send), all SENT after %.1f s; %s%n",
                prefix, users, r.get("acceptedPerSecond"), atMock, r.get("deliveriesPerSecond"), allSent, r.get("cpu"));
        return r;
    }

    @Override
    public void close() throws IOException {
        if (proxy != null) proxy.close();
        try {
            mock.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the mock APNs server did not stop", e);
        }
    }
}
