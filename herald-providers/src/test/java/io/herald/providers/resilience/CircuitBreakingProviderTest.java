package io.herald.providers.resilience;

import io.herald.core.dispatch.DeliveryAttempt;
import io.herald.core.dispatch.DeviceDeactivator;
import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.dispatch.DispatchListener;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.Transition;
import io.herald.core.retry.RetryPolicy;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CircuitBreakingProviderTest {

    static final CircuitBreakerSettings SETTINGS = new CircuitBreakerSettings(4, 4, 50f, Duration.ofSeconds(30), 2);

    SettableClock clock = new SettableClock(Instant.parse("2026-11-02T10:00:00Z"));
    ScriptedProvider primary = new ScriptedProvider("primary", Channel.SMS, SendResult.failed("HTTP 503"));
    ScriptedProvider secondary = new ScriptedProvider("secondary", Channel.SMS, SendResult.accepted("s-1"));
    CircuitBreakingProvider guarded = new CircuitBreakingProvider(primary, SETTINGS, clock);

    @Test
    void primaryDownOpensTheCircuitThenSecondaryTakesOverAndTheCircuitClosesWhenPrimaryRecovers() {
        DeliveryAttempt attempt = new DeliveryAttempt(
                new ProviderRouter(List.of(guarded, new CircuitBreakingProvider(secondary, SETTINGS, clock))),
                RetryPolicy.DEFAULT, DispatchCheck.ALLOW_ALL, DeviceDeactivator.NONE, DispatchListener.NONE, clock);

        // primary fails: every message still goes out, through the secondary, until the window is full
        for (int i = 0; i < 4; i++) {
            Transition t = attempt.run(delivery());
            assertThat(t.status()).isEqualTo(Status.SENT);
            assertThat(t.provider()).isEqualTo("secondary");
        }
        assertThat(primary.calls).hasValue(4);
        assertThat(guarded.status().state()).isEqualTo("OPEN");
        assertThat(guarded.status().callsPermitted()).isFalse();

        // open: the primary is not called at all, failover is immediate
        Transition whileOpen = attempt.run(delivery());
        assertThat(whileOpen.provider()).isEqualTo("secondary");
        assertThat(whileOpen.detail()).contains("circuit open for primary");
        assertThat(primary.calls).hasValue(4);

        // primary recovers; before the wait is over it is still skipped
        primary.answer(SendResult.accepted("p-1"));
        clock.advance(Duration.ofSeconds(29));
        assertThat(attempt.run(delivery()).provider()).isEqualTo("secondary");
        assertThat(primary.calls).hasValue(4);

        // once the wait has passed (Resilience4j: strictly after it), probes go through and close the circuit
        clock.advance(Duration.ofSeconds(1).plusMillis(1));
        Transition probe = attempt.run(delivery());
        assertThat(probe.provider()).isEqualTo("primary");
        assertThat(guarded.status().state()).isEqualTo("HALF_OPEN");
        assertThat(attempt.run(delivery()).provider()).isEqualTo("primary");
        assertThat(guarded.status().state()).isEqualTo("CLOSED");
        assertThat(primary.calls).hasValue(6);
    }

    @Test
    void rejectionsAreTheRecipientsProblemAndKeepTheCircuitClosed() {
        primary.answer(SendResult.rejected(Reason.INVALID_RECIPIENT, "no such number"));

        for (int i = 0; i < 10; i++) assertThat(guarded.send(message())).isInstanceOf(SendResult.Rejected.class);

        assertThat(guarded.status().state()).isEqualTo("CLOSED");
        assertThat(guarded.status().failedCalls()).isZero();
        assertThat(primary.calls).hasValue(10);
    }

    @Test
    void exceptionsCountAsFailuresAndAreRethrown() {
        primary.answer(() -> {
            throw new IllegalStateException("connection pool exhausted");
        });

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guarded.send(message())).isInstanceOf(IllegalStateException.class);
        }

        assertThat(guarded.status().state()).isEqualTo("OPEN");
        assertThat(guarded.send(message())).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> {
                    assertThat(f.detail()).isEqualTo("circuit open for primary");
                    assertThat(f.attempted()).isFalse();
                });
        assertThat(primary.calls).hasValue(4);
    }

    @Test
    void asynchronousAnswersAreCountedWhenTheyComeAndExceptionalOnesAreFailures() {
        var pending = new java.util.ArrayList<CompletableFuture<SendResult>>();
        ChannelProvider async = new ChannelProvider() {
            public String name() {
                return "async";
            }

            public Channel channel() {
                return Channel.SMS;
            }

            public SendResult send(OutboundMessage m) {
                throw new AssertionError("sendAsync expected");
            }

            public CompletableFuture<SendResult> sendAsync(OutboundMessage m) {
                var answer = new CompletableFuture<SendResult>();
                pending.add(answer);
                return answer;
            }
        };
        CircuitBreakingProvider breaker = new CircuitBreakingProvider(async, SETTINGS, clock);
        var stages = new java.util.ArrayList<CompletableFuture<SendResult>>();
        for (int i = 0; i < 4; i++) stages.add(breaker.sendAsync(message()).toCompletableFuture());
        assertThat(breaker.status().bufferedCalls()).as("nothing counted before the answers").isZero();

        pending.get(0).complete(SendResult.failed("HTTP 503"));
        pending.get(1).completeExceptionally(new IllegalStateException("stream reset"));
        pending.get(2).complete(SendResult.failed("HTTP 503"));
        assertThat(breaker.status().state()).isEqualTo("CLOSED");
        pending.get(3).completeExceptionally(new IllegalStateException("stream reset"));

        assertThat(breaker.status().state()).isEqualTo("OPEN");
        assertThat(stages.get(1)).isCompletedExceptionally();
        assertThat(breaker.sendAsync(message()).toCompletableFuture().join()).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.attempted()).isFalse());
        assertThat(pending).hasSize(4);
    }

    @Test
    void aFailedProbeOpensTheCircuitAgain() {
        for (int i = 0; i < 4; i++) guarded.send(message());
        assertThat(guarded.status().state()).isEqualTo("OPEN");

        clock.advance(SETTINGS.waitInOpenState().plusMillis(1));
        guarded.send(message());
        guarded.send(message());

        assertThat(guarded.status().state()).isEqualTo("OPEN");
        assertThat(primary.calls).hasValue(6);
        assertThat(guarded.send(message())).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.detail()).startsWith("circuit open"));
        assertThat(primary.calls).hasValue(6);
    }

    @Test
    void aMinorityOfFailuresDoesNotOpenIt() {
        primary.answer(new java.util.function.Supplier<>() {
            int n;

            @Override
            public SendResult get() {
                return n++ % 4 == 0 ? SendResult.failed("blip") : SendResult.accepted("ok");
            }
        });

        for (int i = 0; i < 20; i++) guarded.send(message());

        assertThat(guarded.status().state()).isEqualTo("CLOSED");
        assertThat(guarded.status().failureRate()).isEqualTo(25f);
        assertThat(guarded.name()).isEqualTo("primary");
        assertThat(guarded.channel()).isEqualTo(Channel.SMS);
    }

    private ClaimedDelivery delivery() {
        return new ClaimedDelivery(UUID.randomUUID(), 1L, "evt", "user-1", Channel.SMS, Priority.NORMAL,
                new Target.Phone("+447700900123"), Content.ofText("code 123456"), null, null, 1, false, clock.instant(), "worker", 0,
                clock.instant());
    }

    private OutboundMessage message() {
        return delivery().toMessage();
    }
}
