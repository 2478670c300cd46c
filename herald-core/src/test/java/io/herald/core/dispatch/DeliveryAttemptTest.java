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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Every attempt ends in a stored outcome, whatever throws, and every notification ends in bounded time. */
class DeliveryAttemptTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    final RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0, 3, Duration.ofHours(1));
    final AtomicInteger calls = new AtomicInteger();
    volatile Supplier<SendResult> answer = () -> SendResult.accepted("ok");

    final ChannelProvider apns = new ChannelProvider() {
        public String name() { return "apns"; }

        public Channel channel() { return Channel.PUSH; }

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
        DispatchCheck broken = (d, now) -> { throw new IllegalStateException("preferences unreadable"); };
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
        DeviceDeactivator broken = (app, device, since) -> { throw new RuntimeException("connection reset"); };
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
}
