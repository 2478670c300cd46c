package io.herald.core.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shared limiter with a fallback for when it cannot answer (its engine is down): each call the primary refuses with
 * an exception is decided by the fallback instead, so an outage of the shared engine costs accuracy, never a failed
 * send. The fallback's buckets are its own (they start full), which is why it should still be a limit: e.g. the
 * PostgreSQL limiter behind Redis for per-user limits, a per-process bucket behind Redis for a provider's throttle.
 * The first failure of an outage is logged, then nothing until the primary answers again. Thread-safe.
 */
public final class FailoverRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(FailoverRateLimiter.class);

    private final RateLimiter primary;
    private final RateLimiter fallback;
    private final String name;
    private final AtomicBoolean failingOver = new AtomicBoolean();

    /** @param name what the limits are, for the log ("per-user limits") */
    public FailoverRateLimiter(RateLimiter primary, RateLimiter fallback, String name) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.name = name;
    }

    @Override
    public Decision acquire(String key, Limit limit, Duration maxWait) {
        try {
            Decision d = primary.acquire(key, limit, maxWait);
            recovered();
            return d;
        } catch (RuntimeException e) {
            failed(e);
            return fallback.acquire(key, limit, maxWait);
        }
    }

    @Override
    public List<Decision> acquireAll(List<Request> requests) {
        try {
            List<Decision> d = primary.acquireAll(requests);
            recovered();
            return d;
        } catch (RuntimeException e) {
            failed(e);
            return fallback.acquireAll(requests);
        }
    }

    /** True while calls are decided by the fallback (since the last failure of the primary). */
    public boolean failingOver() {
        return failingOver.get();
    }

    private void failed(RuntimeException e) {
        if (failingOver.compareAndSet(false, true))
            log.warn("{}: shared limiter unavailable, deciding with the fallback until it answers again: {}", name, e.toString());
    }

    private void recovered() {
        if (failingOver.get() && failingOver.compareAndSet(true, false)) log.info("{}: shared limiter answers again", name);
    }
}
