package io.herald.providers.resilience;

import java.time.Duration;

/**
 * When a provider's circuit opens and how it closes again. The window counts calls (not time): with the
 * defaults, once at least 10 of the last 20 calls are known and half or more of them failed transiently, the
 * circuit opens for 30 seconds; then 3 probe calls are let through and decide between closing and opening again.
 *
 * @param slidingWindowSize         number of most recent calls the failure rate is computed over (default 20)
 * @param minimumNumberOfCalls      calls needed in the window before the rate counts (default 10)
 * @param failureRateThreshold      percentage of failed calls that opens the circuit, 1..100 (default 50)
 * @param waitInOpenState           how long an open circuit refuses calls before probing (default 30 s)
 * @param permittedCallsInHalfOpen  probe calls in half-open state (default 3)
 */
public record CircuitBreakerSettings(int slidingWindowSize, int minimumNumberOfCalls, float failureRateThreshold,
                                     Duration waitInOpenState, int permittedCallsInHalfOpen) {

    public static final CircuitBreakerSettings DEFAULTS = new CircuitBreakerSettings(20, 10, 50f, Duration.ofSeconds(30), 3);

    public CircuitBreakerSettings {
        if (slidingWindowSize < 1) throw new IllegalArgumentException("slidingWindowSize must be at least 1");
        if (minimumNumberOfCalls < 1) throw new IllegalArgumentException("minimumNumberOfCalls must be at least 1");
        if (failureRateThreshold <= 0 || failureRateThreshold > 100)
            throw new IllegalArgumentException("failureRateThreshold must be within (0, 100]");
        if (waitInOpenState == null || waitInOpenState.isNegative() || waitInOpenState.isZero()) {
            throw new IllegalArgumentException("waitInOpenState must be positive");
        }
        if (permittedCallsInHalfOpen < 1) throw new IllegalArgumentException("permittedCallsInHalfOpen must be at least 1");
    }
}
