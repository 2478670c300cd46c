package io.herald.core.ratelimit;

import io.herald.core.concurrent.GroupedCalls;

import java.time.Duration;
import java.util.List;

/**
 * Group commit for the limiter: single sends asking at the same moment share ONE {@link RateLimiter#acquireAll} call
 * (one statement on a shared engine) instead of a round trip each. Each caller still gets its own decision, exactly
 * as the delegate decides it; a lone ask is decided at once. Calls of many requests go straight to the delegate.
 * Thread-safe.
 */
public final class GroupedRateLimiter implements RateLimiter, AutoCloseable {

    private final RateLimiter delegate;
    private final GroupedCalls<Request, Decision> calls;

    public GroupedRateLimiter(RateLimiter delegate, int threads, int maxGroup) {
        this(delegate, threads, maxGroup, Duration.ZERO);
    }

    /** @param linger how long a group waits for company while another is being decided ({@link GroupedCalls}) */
    public GroupedRateLimiter(RateLimiter delegate, int threads, int maxGroup, Duration linger) {
        this.delegate = delegate;
        this.calls = new GroupedCalls<>("herald-limiter", threads, maxGroup, linger, delegate::acquireAll);
    }

    @Override
    public Decision acquire(String key, Limit limit, Duration maxWait) {
        return calls.call(new Request(key, limit, maxWait));
    }

    @Override
    public List<Decision> acquireAll(List<Request> requests) {
        return requests.size() == 1 ? List.of(calls.call(requests.getFirst())) : delegate.acquireAll(requests);
    }

    /** Asks waiting for a decider (not counting the group being decided). */
    int queued() {
        return calls.queued();
    }

    @Override
    public void close() {
        calls.close();
    }
}
