package io.herald.providers.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A circuit breaker (Resilience4j) in front of one provider, so an outage costs one fast refusal per message
 * instead of one timeout, and {@code DeliveryAttempt} fails over to the next provider at once.
 *
 * <p>What counts: {@link SendResult.Failed} and exceptions are failures. {@link SendResult.Accepted} and
 * {@link SendResult.Rejected} are successes: a permanent rejection (a dead token, a bad address) is the
 * recipient's problem, and the provider answered properly. While the circuit is open, {@link #send} returns
 * {@code Failed("circuit open for <name>")} without calling the provider; after
 * {@link CircuitBreakerSettings#waitInOpenState()} a few probe calls go through and close the circuit again
 * when they succeed. Exceptions are recorded and rethrown unchanged.
 *
 * <p>Place it inside a {@link ThrottledProvider}, never around one: a throttled call is not a provider failure.
 * Thread-safe (Resilience4j's breaker is lock-free); name, channel and supports are the delegate's.
 */
public final class CircuitBreakingProvider implements ChannelProvider {

    private final ChannelProvider delegate;
    private final CircuitBreaker breaker;

    public CircuitBreakingProvider(ChannelProvider delegate, CircuitBreakerSettings settings) {
        this(delegate, settings, Clock.systemUTC());
    }

    /** @param clock decides when an open circuit may probe again; a settable clock makes that testable */
    public CircuitBreakingProvider(ChannelProvider delegate, CircuitBreakerSettings settings, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpen())
                // open -> half-open on the next call after the wait, not by a timer thread: nothing to shut down
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
        this.breaker = CircuitBreaker.of(delegate.name(), config);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Channel channel() {
        return delegate.channel();
    }

    @Override
    public boolean supports(Target target) {
        return delegate.supports(target);
    }

    @Override
    public int preferredConcurrency(Channel channel, Platform platform) {
        return delegate.preferredConcurrency(channel, platform);
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (!breaker.tryAcquirePermission()) return open();
        long start = System.nanoTime();
        SendResult result;
        try {
            result = delegate.send(message);
        } catch (RuntimeException | Error e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
        record(result, System.nanoTime() - start);
        return result;
    }

    /** As {@link #send}, counting the answer when it comes; an exceptional completion counts as a failure. */
    @Override
    public CompletionStage<SendResult> sendAsync(OutboundMessage message) {
        if (!breaker.tryAcquirePermission()) return CompletableFuture.completedFuture(open());
        long start = System.nanoTime();
        CompletionStage<SendResult> stage;
        try {
            stage = delegate.sendAsync(message);
        } catch (RuntimeException | Error e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
        if (stage == null) stage = CompletableFuture.completedFuture(null);
        return stage.whenComplete((result, error) -> {
            long took = System.nanoTime() - start;
            if (error != null) breaker.onError(took, TimeUnit.NANOSECONDS, error);
            else
                record(result, took);
        });
    }

    private SendResult open() {
        return SendResult.notAttempted("circuit open for " + delegate.name(), null);
    }

    private void record(SendResult result, long tookNanos) {
        switch (result) {
            case SendResult.Failed f -> breaker.onError(tookNanos, TimeUnit.NANOSECONDS, new TransientFailure(f.detail()));
            case null -> breaker.onError(tookNanos, TimeUnit.NANOSECONDS, new TransientFailure("provider returned no result"));
            default -> breaker.onSuccess(tookNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Current state and window counts, for health and metrics. */
    public CircuitStatus status() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        return new CircuitStatus(delegate.name(), breaker.getState().name(), m.getFailureRate(),
                m.getNumberOfBufferedCalls(), m.getNumberOfFailedCalls(), m.getNumberOfNotPermittedCalls());
    }

    public ChannelProvider delegate() {
        return delegate;
    }

    /** A Failed result as Resilience4j sees it: cheap, no stack trace. */
    static final class TransientFailure extends RuntimeException {
        TransientFailure(String detail) {
            super(detail, null, false, false);
        }
    }
}
