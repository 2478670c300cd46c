package io.herald.providers.resilience;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledProviderTest {

    static final Instant START = Instant.parse("2026-11-02T10:00:00Z");

    SettableClock clock = new SettableClock(START);
    ScriptedProvider fcm = new ScriptedProvider("fcm", Channel.PUSH, SendResult.accepted("projects/x/messages/1"));

    /** Waiting for a permit moves the settable clock instead of parking the thread. */
    ThrottledProvider throttled(Duration maxWait) {
        return new ThrottledProvider(fcm, new ThrottleSettings(2, Duration.ofSeconds(1), maxWait), clock,
                nanos -> clock.advance(Duration.ofNanos(nanos)));
    }

    @Test
    void overTheLimitTheMessageGoesBackToTheQueueWithTheTimeUntilAPermitIsFree() {
        ThrottledProvider provider = throttled(Duration.ofMillis(100));

        assertThat(provider.send(message())).isInstanceOf(SendResult.Accepted.class);
        assertThat(provider.send(message())).isInstanceOf(SendResult.Accepted.class);
        SendResult third = provider.send(message());

        // 2 per second refills one permit every 500 ms: more than the 100 ms a send may wait
        assertThat(third).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.retryAfter()).isEqualTo(Duration.ofMillis(500));
            assertThat(f.detail()).contains("throttled").contains("fcm");
        });
        assertThat(fcm.calls).hasValue(2);
        assertThat(clock.instant()).isEqualTo(START);

        clock.advance(Duration.ofMillis(500));
        assertThat(provider.send(message())).isInstanceOf(SendResult.Accepted.class);
        assertThat(fcm.calls).hasValue(3);
    }

    @Test
    void aPermitDueWithinMaxWaitIsWaitedFor() {
        ThrottledProvider provider = throttled(Duration.ofMillis(600));
        provider.send(message());
        provider.send(message());

        SendResult third = provider.send(message());

        assertThat(third).isInstanceOf(SendResult.Accepted.class);
        assertThat(clock.instant()).isEqualTo(START.plusMillis(500));
        assertThat(fcm.calls).hasValue(3);
    }

    @Test
    void refusedSendsDoNotUseUpPermits() {
        ThrottledProvider provider = throttled(Duration.ZERO);
        provider.send(message());
        provider.send(message());
        for (int i = 0; i < 5; i++) assertThat(provider.send(message())).isInstanceOf(SendResult.Failed.class);

        clock.advance(Duration.ofSeconds(1));

        assertThat(provider.availablePermits()).isEqualTo(2);
        assertThat(provider.send(message())).isInstanceOf(SendResult.Accepted.class);
        assertThat(provider.send(message())).isInstanceOf(SendResult.Accepted.class);
        assertThat(fcm.calls).hasValue(4);
    }

    @Test
    void twoProcessesThrottlingTheSameProviderThroughASharedLimiterShareOneBudget() {
        InMemoryRateLimiter shared = new InMemoryRateLimiter(clock); // stands for Redis: the contract suites check the engines
        ScriptedProvider fcmOnB = new ScriptedProvider("fcm", Channel.PUSH, SendResult.accepted("projects/x/messages/2"));
        ThrottleSettings twoPerSecond = new ThrottleSettings(2, Duration.ofSeconds(1), Duration.ofMillis(600));
        java.util.List<Duration> parked = new java.util.concurrent.CopyOnWriteArrayList<>();
        ThrottledProvider processA = new ThrottledProvider(fcm, twoPerSecond, shared, nanos -> parked.add(Duration.ofNanos(nanos)));
        ThrottledProvider processB = new ThrottledProvider(fcmOnB, twoPerSecond, shared, nanos -> parked.add(Duration.ofNanos(nanos)));

        assertThat(processA.send(message())).isInstanceOf(SendResult.Accepted.class);
        assertThat(processB.send(message())).isInstanceOf(SendResult.Accepted.class);
        // the budget of 2 per second is spent by the two together: B's next permit is reserved 500 ms ahead and waited for
        assertThat(processB.send(message())).isInstanceOf(SendResult.Accepted.class);
        assertThat(parked).containsExactly(Duration.ofMillis(500));
        // A's next would be due 1000 ms ahead, past its maxWait: back to the queue until then
        assertThat(processA.send(message())).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofMillis(1000)));
        assertThat(fcm.calls.get() + fcmOnB.calls.get()).isEqualTo(3);
    }

    @Test
    void delegatesIdentity() {
        ThrottledProvider provider = throttled(Duration.ZERO);
        assertThat(provider.name()).isEqualTo("fcm");
        assertThat(provider.channel()).isEqualTo(Channel.PUSH);
    }

    private static OutboundMessage message() {
        return new OutboundMessage(UUID.randomUUID(), 1L, "evt", Channel.PUSH,
                new Target.Device("d", Platform.ANDROID, "token", null), Priority.NORMAL, Content.ofText("x"), null, null, 1);
    }
}
