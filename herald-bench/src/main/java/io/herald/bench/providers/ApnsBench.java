package io.herald.bench.providers;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DeviceDeactivator;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.LaneSettings;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.intake.NewNotification;
import io.herald.core.intake.NotificationStore;
import io.herald.core.intake.SendReceipt;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.Transition;
import io.herald.core.retry.RetryPolicy;
import io.herald.postgres.HeraldDatabase;
import io.herald.postgres.PostgresAppStore;
import io.herald.postgres.PostgresDeliveryQueue;
import io.herald.postgres.PostgresNotificationStore;
import io.herald.providers.apns.ApnsProvider;
import io.herald.providers.apns.ApnsSettings;
import io.herald.testkit.TestPostgres;
import io.herald.testkit.apns.ApnsTestCredentials;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * APNs: Herald versus pushy alone, against one accept-everything {@link MockApnsServer} over TLS on loopback.
 * <ul>
 *   <li>{@code pushy-direct}: pushy's {@link ApnsClient}, {@code sendNotification} with N futures outstanding,
 *       payload built per message with pushy's builder (what an application using pushy directly does);</li>
 *   <li>{@code herald-provider}: {@link ApnsProvider#sendAsync} started from a virtual thread per message with N in
 *       flight, answered on pushy's event loop, exactly how {@link ChannelDispatcher} calls a provider;</li>
 *   <li>{@code herald-chained}: {@link ApnsProvider#sendAsync} in pushy-direct's calling model (N chains);</li>
 *   <li>{@code herald-pipeline}: N notifications pre-queued in a fresh PostgreSQL schema, drained to SENT by a
 *       {@link ChannelDispatcher} + {@link DeliveryAttempt} + {@link PostgresDeliveryQueue} (claim, send, batched
 *       outcome writes with history events), through the same {@link ApnsProvider}.</li>
 * </ul>
 * Same server, same TLS, same token auth, same payload JSON, same number of HTTP/2 connections and of sends in flight.
 */
final class ApnsBench implements AutoCloseable {

    static final String TITLE = "Order shipped";
    static final String APPLICATION_NAME = "herald-provider-bench";
    static final String BODY = "Your order #12345 is on its way and should arrive on Thursday.";

    private final ProviderBench.Options o;
    private final ApnsTestCredentials credentials;
    private final MockApnsServer server;
    private final int port;
    private final ApnsProvider herald;
    private final ApnsClient pushy;
    private final List<String> tokens = new ArrayList<>();
    private final Content content = new Content(TITLE, BODY, null, null, null, null, null);
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private Pipeline pipeline;

    ApnsBench(ProviderBench.Options o) throws Exception {
        this.o = o;
        Path dir = Files.createTempDirectory("herald-apns-bench");
        credentials = ApnsTestCredentials.generate(dir);
        server = new MockApnsServerBuilder()
                .setServerCredentials(credentials.serverCertificateChainPem().toFile(), credentials.serverPrivateKeyPkcs8Pem().toFile(),
                        null)
                .setTrustedClientCertificateChain(credentials.caCertificatePem().toFile())
                // accepts everything, for both sides: no validation cost in the measurement
                .setHandlerFactory(session -> (headers, payload) -> {
                })
                .build();
        port = server.start(0).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            byte[] b = new byte[32];
            ThreadLocalRandom.current().nextBytes(b);
            tokens.add(HexFormat.of().formatHex(b));
        }
        ApnsSettings settings = new ApnsSettings(credentials.topic(),
                new ApnsSettings.Token(credentials.signingKeyP8(), credentials.keyId(), credentials.teamId()),
                ApnsSettings.Gateway.PRODUCTION, "localhost", port, credentials.caCertificatePem(),
                Duration.ofSeconds(10), Duration.ofSeconds(10), o.connections(), null, null);
        herald = new ApnsProvider(settings);
        // what ApnsProvider builds, with the same settings (ApnsClients is package-private)
        pushy = new ApnsClientBuilder()
                .setApnsServer("localhost", port)
                .setTrustedServerCertificateChain(credentials.caCertificatePem().toFile())
                .setSigningKey(
                        ApnsSigningKey.loadFromPkcs8File(credentials.signingKeyP8().toFile(), credentials.teamId(), credentials.keyId()))
                .setConnectionTimeout(Duration.ofSeconds(10))
                .setConcurrentConnections(o.connections())
                .build();
    }

    String token(long seq) {
        return tokens.get((int) (seq % tokens.size()));
    }

    /**
     * pushy at its best: {@code concurrency} independent asynchronous chains, each sending its next notification from
     * the completion callback of the previous one (on pushy's event loop), so no thread hand-off per message.
     */
    Load.Side pushyDirect() {
        return chains("pushy-direct", seq -> pushy.sendNotification(pushyNotification(seq))
                .thenApply(response -> response.isAccepted() ? null : "rejected: " + response.getRejectionReason().orElse("?")));
    }

    /** What an application using pushy directly sends: payload built per message with pushy's builder. */
    private SimpleApnsPushNotification pushyNotification(long seq) {
        SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
        payload.setAlertTitle(TITLE);
        payload.setAlertBody(BODY);
        return new SimpleApnsPushNotification(token(seq), credentials.topic(), payload.build(),
                Instant.now().plus(ApnsSettings.DEFAULT_TIME_TO_LIVE), DeliveryPriority.IMMEDIATE, PushType.ALERT,
                null, UUID.randomUUID());
    }

    /**
     * {@code concurrency} independent asynchronous chains, each starting its next send from the completion callback of
     * the previous one (on pushy's event loop), so no thread hand-off per message.
     *
     * @param send starts the seq-th send; its stage answers null when accepted, else what went wrong
     */
    private Load.Side chains(String name, LongFunction<CompletionStage<String>> send) {
        return new Load.Side() {
            public String name() {
                return name;
            }

            public void issue(long seq, Load.Counters c, Semaphore done) {
                throw new UnsupportedOperationException("driven by chains");
            }

            @Override
            public void drive(int concurrency, Load.Counters c, AtomicBoolean stop, Semaphore slots) {
                AtomicLong seq = new AtomicLong();
                for (int i = 0; i < concurrency; i++) {
                    slots.acquireUninterruptibly();
                    next(seq, c, stop, slots);
                }
            }

            private void next(AtomicLong seq, Load.Counters c, AtomicBoolean stop, Semaphore slots) {
                if (stop.get()) {
                    slots.release();
                    return;
                }
                CompletableFuture<String> answer = send.apply(seq.getAndIncrement()).toCompletableFuture();
                boolean answered = answer.isDone();
                answer.whenComplete((problem, failure) -> {
                    if (failure == null && problem == null) c.ok.increment();
                    else
                        c.error(failure != null ? failure.toString() : problem);
                    // an answer that was there at once (a local failure) would recurse: continue elsewhere
                    if (answered || failure != null) ForkJoinPool.commonPool().execute(() -> next(seq, c, stop, slots));
                    else
                        next(seq, c, stop, slots);
                });
            }
        };
    }

    /**
     * Control: pushy called the way Herald calls it (a virtual thread per message, blocking on the future), without
     * Herald's code. herald-provider / pushy-vthread isolates the cost of ApnsProvider itself; pushy-vthread /
     * pushy-direct is the cost of the calling model.
     */
    Load.Side pushyVirtualThread() {
        return new Load.Side() {
            public String name() {
                return "pushy-vthread";
            }

            public void issue(long seq, Load.Counters c, Semaphore done) {
                virtualThreads.execute(() -> {
                    try {
                        var response = pushy.sendNotification(pushyNotification(seq)).get(10, TimeUnit.SECONDS);
                        if (response.isAccepted()) c.ok.increment();
                        else
                            c.error("rejected: " + response.getRejectionReason().orElse("?"));
                    } catch (Exception e) {
                        c.error(e.toString());
                    } finally {
                        done.release();
                    }
                });
            }
        };
    }

    /**
     * Herald's provider the way {@link ChannelDispatcher} calls it now: a virtual thread per message starts
     * {@link ApnsProvider#sendAsync} and ends; the answer completes on pushy's event loop, no thread waits for it.
     */
    Load.Side heraldProvider() {
        Target.Device[] targets = targets();
        return new Load.Side() {
            public String name() {
                return "herald-provider";
            }

            public void issue(long seq, Load.Counters c, Semaphore done) {
                virtualThreads.execute(() -> {
                    try {
                        herald.sendAsync(message(targets, seq)).whenComplete((result, failure) -> {
                            count(c, result, failure);
                            done.release();
                        });
                    } catch (RuntimeException e) {
                        c.error(e.toString());
                        done.release();
                    }
                });
            }
        };
    }

    /**
     * Herald's provider called like pushy-direct: N chains, each starting its next {@link ApnsProvider#sendAsync}
     * from the completion of the previous one. Against pushy-direct this isolates the cost of ApnsProvider's code.
     */
    Load.Side heraldProviderChained() {
        Target.Device[] targets = targets();
        return chains("herald-chained", seq -> herald.sendAsync(message(targets, seq))
                .thenApply(result -> result instanceof SendResult.Accepted ? null : String.valueOf(result)));
    }

    private Target.Device[] targets() {
        return tokens.stream().map(t -> new Target.Device(null, Platform.IOS, t, null)).toArray(Target.Device[]::new);
    }

    private OutboundMessage message(Target.Device[] targets, long seq) {
        return new OutboundMessage(UUID.randomUUID(), 1, "bench", Channel.PUSH,
                targets[(int) (seq % targets.length)], Priority.HIGH, content, "transactional", null, 1);
    }

    private static void count(Load.Counters c, SendResult result, Throwable failure) {
        if (failure != null) c.error(failure.toString());
        else if (result instanceof SendResult.Accepted) c.ok.increment();
        else
            c.error(String.valueOf(result));
    }

    /** Side-by-side closed-loop measurements plus the pipeline drain, alternating the order every round. */
    ProviderBench.Report run() throws Exception {
        ProviderBench.Report report = new ProviderBench.Report("apns");
        Load.Side raw = pushyDirect(), provider = heraldProvider(), chained = heraldProviderChained(), control = pushyVirtualThread();
        ProviderBench.log("APNs mock on localhost:%d, %d connection(s), %d in flight, window %ss", port, o.connections(),
                o.concurrency(), o.window().toMillis() / 1000.0);
        // warm-up: JIT, TLS handshakes, pushy's provider token, connection pools
        Load.warmUp(List.of(raw, provider, chained, control), o.concurrency(), o.warmupPass(), o.warmup(), () -> {
        });
        int drainSize = 0;
        if (o.pipeline()) {
            pipeline = new Pipeline();
            // warm the pipeline too, and size the measured drains from its rate
            var warm = pipeline.drain(2_000);
            warm = pipeline.drain(5_000);
            drainSize = (int) Math.max(8_000, Math.min(40_000, warm.msgsPerSecond() * o.window().toMillis() / 1000.0));
            ProviderBench.log("warm-up %-16s %8.0f msgs/s -> measured drains of %d notifications", "herald-pipeline",
                    warm.msgsPerSecond(), drainSize);
        }
        for (int round = 1; round <= o.rounds(); round++) {
            List<Load.Side> order = round % 2 == 1 ? List.of(raw, provider, chained, control) : List.of(control, chained, provider, raw);
            for (Load.Side side : order) {
                var r = Load.run(side, o.concurrency(), o.ramp(), o.window());
                report.add(round, r);
                ProviderBench.log("round %d %-16s %8.0f msgs/s  %6.1f us CPU/msg  errors %d", round, side.name(),
                        r.msgsPerSecond(), r.cpuMicrosPerMsg(), r.errors());
            }
            if (pipeline != null) {
                var r = pipeline.drain(drainSize);
                report.add(round, r);
                ProviderBench.log("round %d %-16s %8.0f msgs/s  %6.1f us CPU/msg  errors %d", round, r.name(),
                        r.msgsPerSecond(), r.cpuMicrosPerMsg(), r.errors());
                ProviderBench.log("        pipeline breakdown: %s", pipeline.lastBreakdown());
                report.note("Round " + round + " `herald-pipeline`: " + pipeline.lastBreakdown() + ".");
            }
        }
        report.describe("pushy-direct", "pushy ApnsClient.sendNotification, " + o.concurrency() + " futures outstanding");
        report.describe("pushy-vthread", "control: pushy sendNotification + future.get() on a virtual thread per message, "
                + o.concurrency() + " in flight (Herald's calling model before the asynchronous SPI, without Herald's code)");
        report.describe("herald-provider", "ApnsProvider.sendAsync started on a virtual thread per message, answered on pushy's "
                + "event loop, " + o.concurrency() + " in flight (how ChannelDispatcher calls it)");
        report.describe("herald-chained", "ApnsProvider.sendAsync, " + o.concurrency()
                + " chains each sending from the previous answer (pushy-direct's calling model)");
        report.describe("herald-pipeline", "pre-queued in PostgreSQL, drained to SENT by ChannelDispatcher (lane concurrency "
                + o.concurrency() + ", claim batch 100)");
        report.ratio("herald-provider", "pushy-direct", 0.80);
        report.ratio("herald-chained", "pushy-direct", 0.80);
        report.ratio("herald-provider", "pushy-vthread", 0.80);
        report.ratio("pushy-vthread", "pushy-direct", 0.0);
        if (pipeline != null) report.ratio("herald-pipeline", "pushy-direct", 0.80);
        report.setting("connections", o.connections());
        report.setting("inFlight", o.concurrency());
        report.setting("windowSeconds", o.window().toMillis() / 1000.0);
        report.setting("pipelineDrainSize", drainSize);
        return report;
    }

    @Override
    public void close() {
        if (pipeline != null) pipeline.close();
        virtualThreads.shutdownNow();
        herald.close();
        try {
            pushy.close().get(10, TimeUnit.SECONDS);
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ProviderBench.log("shutdown: %s", e);
        }
    }

    /** Herald's real dispatch path on a fresh schema of the machine's PostgreSQL. */
    final class Pipeline implements AutoCloseable {
        private final String schema = TestPostgres.newSchema("providerbench");
        private final HeraldDatabase db;
        private final JdbcTemplate jdbc;
        private final PostgresNotificationStore store;
        private final TimedQueue queue;
        private final long appId;
        private String lastBreakdown = "";
        private int drains;

        Pipeline() {
            // the application name finds this pool's backends in pg_stat_activity, to read their CPU time
            String url = TestPostgres.URL + (TestPostgres.URL.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION_NAME;
            db = HeraldDatabase.start(new HeraldDatabase.Settings(url, TestPostgres.USER, null, schema, null,
                    o.dbPool(), 0, Duration.ofSeconds(5)));
            jdbc = new JdbcTemplate(db.dataSource());
            var tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
            store = new PostgresNotificationStore(jdbc, tx);
            queue = new TimedQueue(new PostgresDeliveryQueue(jdbc, tx));
            appId = new PostgresAppStore(jdbc).create("bench-" + schema, "hash", "provider bench", List.of(), Instant.now()).orElseThrow();
            ProviderBench.log("PostgreSQL schema %s (pool %d)", schema, o.dbPool());
        }

        /** Pre-queues {@code n} APNs notifications (not timed), then times the dispatcher draining them to SENT. */
        Load.Result drain(int n) throws InterruptedException {
            int run = ++drains;
            Instant now = Instant.now().minusSeconds(1);
            List<NotificationStore.Accepted> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String eventId = "d" + run + "-" + i;
                var notification = new NewNotification(UUID.randomUUID(), appId, eventId, null, Channel.PUSH, Priority.HIGH,
                        "transactional", null, null, new Target.Device(null, Platform.IOS, token(i), null), content,
                        Status.QUEUED, null, null, now, null, now);
                batch.add(new NotificationStore.Accepted(appId, new SendReceipt(eventId, List.of(notification.receiptItem())),
                        List.of(notification)));
                if (batch.size() == 500 || i == n - 1) {
                    store.acceptAll(batch);
                    batch.clear();
                }
            }
            jdbc.execute("ANALYZE"); // as autovacuum would have, so the claim query is planned on real statistics

            LongAdder sent = new LongAdder(), other = new LongAdder();
            CountDownLatch finished = new CountDownLatch(n);
            String[] lastOther = {null};
            DispatchListener counting = new DispatchListener() {
                @Override
                public void transition(Channel channel, Priority priority, Transition t, Duration sinceAccepted) {
                    if (t.status() == Status.SENT) sent.increment();
                    else {
                        other.increment();
                        lastOther[0] = t.status() + " " + t.detail();
                    }
                    finished.countDown();
                }
            };
            Clock clock = Clock.systemUTC();
            var attempt = new DeliveryAttempt(new ProviderRouter(List.of(herald)), RetryPolicy.DEFAULT, DispatchCheck.ALLOW_ALL,
                    DeviceDeactivator.NONE, DispatchListener.NONE, clock);
            var lanes = new LaneSettings(o.concurrency(), 100, Duration.ofSeconds(60), Duration.ofMillis(200), RetryPolicy.DEFAULT);
            var dispatcher = new ChannelDispatcher(new io.herald.core.queue.WorkQueue(Channel.PUSH, Platform.IOS), lanes, queue, attempt,
                    counting, clock, "provider-bench");
            queue.reset();
            long pg0 = backendCpuNanos();
            long cpu0 = Load.cpuNanos(), t0 = System.nanoTime();
            dispatcher.start();
            dispatcher.ring(Priority.HIGH);
            boolean done = finished.await(180, TimeUnit.SECONDS);
            long t1 = System.nanoTime(), cpu1 = Load.cpuNanos();
            long pg1 = backendCpuNanos();
            dispatcher.close();
            long completed = sent.sum();
            lastBreakdown = queue.summary() + String.format(java.util.Locale.ROOT, "; PostgreSQL backends %.0f us CPU/msg",
                    completed == 0 ? 0.0 : (pg1 - pg0) / 1e3 / completed);
            if (!done) ProviderBench.log("pipeline drain did not finish in 180 s: %d of %d", completed + other.sum(), n);
            return new Load.Result("herald-pipeline", completed / ((t1 - t0) / 1e9), completed, n - completed,
                    completed == 0 ? 0 : (cpu1 - cpu0) / 1e3 / completed, lastOther[0]);
        }

        String lastBreakdown() {
            return lastBreakdown;
        }

        /** CPU time of this pool's PostgreSQL backends (same machine, /proc), or 0 when unreadable. */
        private long backendCpuNanos() {
            long ticks = 0;
            List<Integer> pids = jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = ?", Integer.class,
                    APPLICATION_NAME);
            for (int pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                } catch (java.io.IOException | RuntimeException e) {
                    return 0;
                }
            }
            return ticks * 10_000_000L; // USER_HZ = 100
        }

        @Override
        public void close() {
            db.close();
            TestPostgres.dropSchema(schema);
        }
    }
}
