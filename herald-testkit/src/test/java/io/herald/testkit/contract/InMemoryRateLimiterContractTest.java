package io.herald.testkit.contract;

import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.core.ratelimit.RateLimiter;

import java.time.Clock;
import java.util.List;

/** The in-memory engine: one process, so both views are the same limiter. */
class InMemoryRateLimiterContractTest extends RateLimiterContract {

    @Override
    protected List<RateLimiter> twoProcesses(Clock clock) {
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
        return List.of(limiter, limiter);
    }
}
