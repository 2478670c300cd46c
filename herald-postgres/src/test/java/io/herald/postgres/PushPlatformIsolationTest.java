package io.herald.postgres;

import io.herald.core.dispatch.ChannelDispatcher;
import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.LaneSettings;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.intake.RecipientPolicy;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;
import io.herald.core.intake.WorkNotifier;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.core.retry.RetryPolicy;
import io.herald.core.template.TemplateException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One push vendor's outage must not hold another's: APNs hangs (every call blocks), and FCM notifications sent
 * meanwhile complete about as fast as without the outage, because each platform has its own queue, lanes and slots.
 * Real dispatchers on their own threads against the real PostgreSQL; latencies measured, no sleeps.
 */
class PushPlatformIsolationTest {

    static final int SLOTS = 4;
    static final int SENDS = 20;
    static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("isolation");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Platform-specific fakes: APNs takes IOS devices only, FCM ANDROID only, as the real providers do. */
    record PlatformProvider(String name, Platform platform, CountDownLatch hang, CountDownLatch entered) implements ChannelProvider {
        public Channel channel() {
            return Channel.PUSH;
        }

        public boolean supports(Target target) {
            return target instanceof Target.Device d && d.platform() == platform;
        }

        public SendResult send(OutboundMessage m) {
            entered.countDown();
            try {
                if (!hang.await(60, TimeUnit.SECONDS)) return SendResult.failed(name + ": timed out");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SendResult.failed(name + ": interrupted");
            }
            return SendResult.accepted(name + "-" + m.id());
        }
    }

    @Test
    void fcmKeepsItsPaceWhileApnsHangs() throws Exception {
        Clock clock = Clock.systemUTC();
        CountDownLatch apnsDown = new CountDownLatch(1), apnsEntered = new CountDownLatch(SLOTS);
        var apns = new PlatformProvider("apns", Platform.IOS, apnsDown, apnsEntered);
        var fcm = new PlatformProvider("fcm", Platform.ANDROID, new CountDownLatch(0), new CountDownLatch(0));
        Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
        Map<UUID, CountDownLatch> waiting = new ConcurrentHashMap<>();
        DispatchListener listener = new DispatchListener() {
            @Override
            public void transition(Channel channel, Priority priority, Transition t, Duration sinceAccepted) {
                if (t.status() != Status.SENT) return;
                sentAt.put(t.id(), System.nanoTime());
                CountDownLatch l = waiting.get(t.id());
                if (l != null) l.countDown();
            }
        };
        RetryPolicy retry = RetryPolicy.DEFAULT;
        LaneSettings lanes = new LaneSettings(SLOTS, 50, Duration.ofSeconds(60), Duration.ofMillis(50), retry);
        DeliveryAttempt attempt = new DeliveryAttempt(new ProviderRouter(List.of(apns, fcm)), retry, DispatchCheck.ALLOW_ALL,
                db.users, listener, clock);
        Map<WorkQueue, ChannelDispatcher> dispatchers = new HashMap<>();
        for (WorkQueue q : WorkQueue.of(Channel.PUSH)) {
            dispatchers.put(q, new ChannelDispatcher(q, lanes, db.queue, attempt, listener, clock, "isolation-worker"));
        }
        WorkNotifier ring = (q, p) -> dispatchers.get(q).ring(p);
        SendService intake = new SendService(db.users, (k, v, l, d) -> {
            throw new TemplateException(TemplateException.Kind.NOT_FOUND, "none");
        },
                RecipientPolicy.ALLOW_ALL, db.notifications, ring, clock, UUID::randomUUID);
        db.users.registerDevice(db.appId, "ios-user", Platform.IOS, "apns-token-1", null, clock.instant());
        db.users.registerDevice(db.appId, "android-user", Platform.ANDROID, "fcm-token-1", null, clock.instant());

        dispatchers.values().forEach(ChannelDispatcher::start);
        try {
            fcmLatencies(intake, "warm-up", waiting, sentAt); // first sends pay for class loading and JIT
            long[] baseline = fcmLatencies(intake, "base", waiting, sentAt);

            for (int i = 0; i < SENDS; i++) pushTo(intake, "ios-user", "apns-" + i);
            assertThat(apnsEntered.await(10, TimeUnit.SECONDS)).as("APNs holds every iOS slot").isTrue();
            long[] outage = fcmLatencies(intake, "outage", waiting, sentAt);

            long baseMax = baseline[baseline.length - 1], outageMax = outage[outage.length - 1];
            System.out.printf("FCM latency over %d sends: without APNs outage p50 %.1f ms max %.1f ms; during it p50 %.1f ms max %.1f ms%n",
                    SENDS, baseline[SENDS / 2] / 1e6, baseMax / 1e6, outage[SENDS / 2] / 1e6, outageMax / 1e6);
            assertThat(outageMax).as("FCM during the APNs outage stays within a second of its normal pace")
                    .isLessThan(baseMax + Duration.ofSeconds(1).toNanos());
            assertThat(db.count("SELECT count(*) FROM queue_entries WHERE queue = 'PUSH_IOS'")).as("iOS work waits, unharmed")
                    .isEqualTo(SENDS);
        } finally {
            apnsDown.countDown();
            dispatchers.values().forEach(ChannelDispatcher::close);
        }
    }

    /** Sends to the Android user one at a time and measures accepted-to-SENT of each; sorted nanoseconds. */
    private static long[] fcmLatencies(SendService intake, String tag, Map<UUID, CountDownLatch> waiting, Map<UUID, Long> sentAt)
            throws InterruptedException {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
            long start = System.nanoTime();
            CountDownLatch done = new CountDownLatch(1);
            UUID id = pushTo(intake, "android-user", tag + "-" + i);
            // the id is known only after intake, and the dispatcher may have been quicker: look after registering
            waiting.put(id, done);
            if (sentAt.containsKey(id)) done.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).as("FCM send %s-%d completes", tag, i).isTrue();
            out.add(sentAt.get(id) - start);
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static UUID pushTo(SendService intake, String user, String eventId) {
        return intake.send(db.appId, new SendRequest(eventId, user, null, Set.of(Channel.PUSH), null, null, null, null,
                new Content("Hi", "there", null, null, null, null, null), null, Priority.NORMAL, null, null))
                .receipt().notifications().getFirst().id();
    }
}
