package io.herald.core.dispatch;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.Transition;
import io.herald.core.ratelimit.MutableClock;
import io.herald.core.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Every attempt ends in a stored outcome, whatever throws, and every notification ends in bounded time. */
class DeliveryAttemptTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    final RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0, 3, Duration.ofHours(1));
    final AtomicInteger calls = new AtomicInteger();
    volatile Supplier<SendResult> answer = () -> SendResult.accepted("ok");

    final ChannelProvider apns = new ChannelProvider() {
        public String name() {
            return "apns";
        }

        public Channel channel() {
            return Channel.PUSH;
        }

        public SendResult send(OutboundMessage m) {
            calls.incrementAndGet();
            return answer.get();
        }
    };

    private DeliveryAttempt attempt(DispatchCheck check, DeviceDeactivator devices) {
        return new DeliveryAttempt(new ProviderRouter(List.of(apns)), retry, check, devices, DispatchListener.NONE, clock);
    }

    private ClaimedDelivery claimed(Target target, int attempt, int reclaims, Instant dueSince) {
        return new ClaimedDelivery(UUID.randomUUID(), 1L, "evt", "u-1", Channel.PUSH, Priority.NORMAL, target,
                new Content("T", "B", null, null, null, null, null), null, null, attempt, reclaims > 0, dueSince,
                "worker-a", reclaims, dueSince);
    }

    private static Target device() {
        return new Target.Device(UUID.randomUUID().toString(), Platform.IOS, "token-1", null);
    }

    @Test
    void anExceptionOutsideTheProviderBecomesARetryThenADeadLetterWithItsMessage() {
        DispatchCheck broken = (d, now) -> {
            throw new IllegalStateException("preferences unreadable");
        };
        DeliveryAttempt attempt = attempt(broken, DeviceDeactivator.NONE);

        Transition first = attempt.run(claimed(device(), 1, 0, clock.instant()));
        assertThat(first.status()).isEqualTo(Status.RETRYING);
        assertThat(first.retryAt()).isAfter(clock.instant());
        assertThat(first.detail()).contains("IllegalStateException", "preferences unreadable");
        assertThat(first.lease().owner()).isEqualTo("worker-a");

        Transition last = attempt.run(claimed(device(), 3, 0, clock.instant()));
        assertThat(last.status()).isEqualTo(Status.FAILED);
        assertThat(last.reason()).isEqualTo(Reason.RETRIES_EXHAUSTED);
        assertThat(last.deadLetter()).isTrue();
        assertThat(last.detail()).contains("gave up after 3 attempts", "preferences unreadable");
        assertThat(calls).hasValue(0);
    }

    @Test
    void aFailingDeviceDeactivationIsAnOutcomeToo() {
        answer = () -> new SendResult.Rejected(Reason.TOKEN_UNREGISTERED, "Unregistered", clock.instant());
        DeviceDeactivator broken = (app, device, since) -> {
            throw new RuntimeException("connection reset");
        };
        Transition t = attempt(DispatchCheck.ALLOW_ALL, broken).run(claimed(device(), 1, 0, clock.instant()));
        assertThat(t.status()).isEqualTo(Status.RETRYING);
        assertThat(t.detail()).contains("connection reset");
    }

    @Test
    void aNotificationWhoseWorkerDiedTooOftenIsDeadLetteredUnsent() {
        Transition t = attempt(DispatchCheck.ALLOW_ALL, DeviceDeactivator.NONE).run(claimed(device(), 4, 3, clock.instant()));
        assertThat(t.status()).isEqualTo(Status.FAILED);
        assertThat(t.reason()).isEqualTo(Reason.RETRIES_EXHAUSTED);
        assertThat(t.deadLetter()).isTrue();
        assertThat(t.detail()).contains("worker died 3 times");
        assertThat(calls).as("not handed to a provider again").hasValue(0);

        Transition below = attempt(DispatchCheck.ALLOW_ALL, DeviceDeactivator.NONE).run(claimed(device(), 3, 2, clock.instant()));
        assertThat(below.status()).isEqualTo(Status.SENT);
    }

    @Test
    void anErasedRecipientIsCancelledNotRetried() {
        Transition t = attempt(DispatchCheck.ALLOW_ALL, DeviceDeactivator.NONE).run(claimed(null, 1, 0, clock.instant()));
        assertThat(t.status()).isEqualTo(Status.CANCELLED);
        assertThat(t.reason()).isEqualTo(Reason.CANCELLED);
        assertThat(t.detail()).contains("erased");
        assertThat(calls).hasValue(0);
    }

    @Test
    void refusalsOfAnOpenCircuitEndAtTheMaximumAge() {
        answer = () -> SendResult.notAttempted("circuit open for apns", Duration.ofSeconds(30));
        DeliveryAttempt attempt = attempt(DispatchCheck.ALLOW_ALL, DeviceDeactivator.NONE);
        Instant due = clock.instant();
        Transition t;
        int tries = 0;
        do {
            t = attempt.run(claimed(device(), 1, 0, due));
            if (t.status() == Status.RETRYING) {
                assertThat(t.attempt()).as("a refusal gives its attempt back").isZero();
                clock.advance(Duration.between(clock.instant(), t.retryAt()));
            }
        } while (t.status() == Status.RETRYING && ++tries < 1000);
        assertThat(t.status()).isEqualTo(Status.FAILED);
        assertThat(t.reason()).isEqualTo(Reason.RETRIES_EXHAUSTED);
        assertThat(t.deadLetter()).isTrue();
        assertThat(t.detail()).contains("maximum age of PT1H", "circuit open for apns");
        assertThat(t.at()).isBeforeOrEqualTo(due.plus(Duration.ofHours(1)));
        assertThat(t.at()).isAfter(due.plus(Duration.ofMinutes(59)));
    }

    @Test
    void aNotificationAlreadyPastItsMaximumAgeIsNotSent() {
        Transition t = attempt(DispatchCheck.ALLOW_ALL, DeviceDeactivator.NONE)
                .run(claimed(device(), 1, 0, clock.instant().minus(Duration.ofHours(2))));
        assertThat(t.status()).isEqualTo(Status.FAILED);
        assertThat(t.reason()).isEqualTo(Reason.RETRIES_EXHAUSTED);
        assertThat(t.detail()).contains("maximum age");
        assertThat(calls).hasValue(0);
    }

    /** Answers when the test says so, on a platform thread of the test's choosing (as pushy's event loop would). */
    static final class Later implements ChannelProvider {
        final String name;
        final CompletableFuture<SendResult> answer = new CompletableFuture<>();

        Later(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public Channel channel() {
            return Channel.PUSH;
        }

        public SendResult send(OutboundMessage m) {
            throw new AssertionError("the attempt must use sendAsync");
        }

        public CompletableFuture<SendResult> sendAsync(OutboundMessage m) {
            return answer;
        }
    }

    private DeliveryAttempt over(List<ChannelProvider> providers, DeviceDeactivator devices) {
        return new DeliveryAttempt(new ProviderRouter(providers), retry, DispatchCheck.ALLOW_ALL, devices, DispatchListener.NONE, clock);
    }

    private static void completeOnPlatformThread(Runnable completion) throws InterruptedException {
        Thread t = Thread.ofPlatform().start(completion);
        t.join();
    }

    @Test
    void anAsynchronousAnswerFinishesTheAttemptWithoutAThreadWaiting() throws Exception {
        Later apnsLater = new Later("apns");
        DeliveryAttempt attempt = over(List.of(apnsLater), DeviceDeactivator.NONE);
        CompletableFuture<Transition> outcome = attempt.runAsync(claimed(device(), 1, 0, clock.instant())).toCompletableFuture();
        assertThat(outcome).as("no answer yet, and nothing blocked on it").isNotDone();

        completeOnPlatformThread(() -> apnsLater.answer.complete(SendResult.accepted("apns-id-1")));
        assertThat(outcome).isCompleted();
        assertThat(outcome.join().status()).isEqualTo(Status.SENT);
        assertThat(outcome.join().providerMessageId()).isEqualTo("apns-id-1");
    }

    @Test
    void afterAnAsynchronousFailureTheNextProviderRunsOnAVirtualThreadNotTheIoThread() throws Exception {
        Later first = new Later("apns-a");
        AtomicReference<Thread> secondRanOn = new AtomicReference<>();
        ChannelProvider blocking = new ChannelProvider() {
            public String name() {
                return "apns-b";
            }

            public Channel channel() {
                return Channel.PUSH;
            }

            public SendResult send(OutboundMessage m) {
                secondRanOn.set(Thread.currentThread());
                return SendResult.accepted("b-1");
            }
        };
        DeliveryAttempt attempt = over(List.of(first, blocking), DeviceDeactivator.NONE);
        CompletableFuture<Transition> outcome = attempt.runAsync(claimed(device(), 1, 0, clock.instant())).toCompletableFuture();

        completeOnPlatformThread(() -> first.answer.completeExceptionally(new IllegalStateException("stream reset")));
        Transition t = outcome.get(10, TimeUnit.SECONDS);
        assertThat(t.status()).isEqualTo(Status.SENT);
        assertThat(t.provider()).isEqualTo("apns-b");
        assertThat(t.detail()).contains("apns-a: IllegalStateException: stream reset");
        assertThat(secondRanOn.get().isVirtual()).as("a blocking provider never runs on the I/O thread").isTrue();
    }

    @Test
    void anAsynchronousTokenRejectionDeactivatesTheDeviceOffTheIoThread() throws Exception {
        Later apnsLater = new Later("apns");
        AtomicReference<Thread> deactivatedOn = new AtomicReference<>();
        DeviceDeactivator devices = (app, device, since) -> {
            deactivatedOn.set(Thread.currentThread());
            return true;
        };
        DeliveryAttempt attempt = over(List.of(apnsLater), devices);
        CompletableFuture<Transition> outcome = attempt.runAsync(claimed(device(), 1, 0, clock.instant())).toCompletableFuture();

        completeOnPlatformThread(() -> apnsLater.answer.complete(new SendResult.Rejected(Reason.TOKEN_UNREGISTERED, "Unregistered")));
        Transition t = outcome.get(10, TimeUnit.SECONDS);
        assertThat(t.status()).isEqualTo(Status.FAILED);
        assertThat(t.reason()).isEqualTo(Reason.TOKEN_UNREGISTERED);
        assertThat(deactivatedOn.get().isVirtual()).isTrue();
    }

    @Test
    void anErrorFromAnAsynchronousProviderLeavesNoOutcomeSoTheLeaseDecides() throws Exception {
        Later apnsLater = new Later("apns");
        DeliveryAttempt attempt = over(List.of(apnsLater), DeviceDeactivator.NONE);
        CompletableFuture<Transition> outcome = attempt.runAsync(claimed(device(), 1, 0, clock.instant())).toCompletableFuture();
        completeOnPlatformThread(() -> apnsLater.answer.completeExceptionally(new OutOfMemoryError("test")));
        assertThat(outcome).isCompletedExceptionally();
    }
}
