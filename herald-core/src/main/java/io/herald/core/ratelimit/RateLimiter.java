package io.herald.core.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Token buckets by string key. Port with an in-memory engine ({@link InMemoryRateLimiter}) and shared ones
 * (PostgreSQL, Redis) for several processes. Implementations are thread-safe; shared ones are atomic across processes.
 */
public interface RateLimiter {

    /** Takes one token from the bucket of {@code key} if one is there now. */
    default Decision tryConsume(String key, Limit limit) {
        return acquire(key, limit, Duration.ZERO);
    }

    /**
     * Takes one token now, or reserves the next free one if it frees up within {@code maxWait} (the bucket goes into
     * debt, so the next caller waits longer). A reservation cannot be undone.
     *
     * @param key   bucket identity
     * @param limit the bucket's shape; implementations keep one bucket per key and {@link Limit#id() shape}, so a
     *              changed limit starts a fresh bucket instead of reusing state of another shape
     */
    Decision acquire(String key, Limit limit, Duration maxWait);

    /**
     * Decisions for several buckets, in request order. Shared engines override it to decide them all in one round trip
     * (a batch send or a fan-out page would otherwise pay one per recipient); each request is decided exactly as
     * {@link #acquire} would, and requests for the same key are applied in list order.
     */
    default List<Decision> acquireAll(List<Request> requests) {
        List<Decision> decisions = new ArrayList<>(requests.size());
        for (Request r : requests) decisions.add(acquire(r.key(), r.limit(), r.maxWait()));
        return decisions;
    }

    /** One bucket's request: see {@link #acquire}. */
    record Request(String key, Limit limit, Duration maxWait) {

        public Request {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(limit, "limit");
            maxWait = maxWait == null || maxWait.isNegative() ? Duration.ZERO : maxWait;
        }
    }

    /**
     * @param outcome what happened
     * @param delay   RESERVED: how long until the reserved token is due; REJECTED: until a token would be free;
     *                CONSUMED: zero
     */
    record Decision(Outcome outcome, Duration delay) {

        public enum Outcome {
            CONSUMED, RESERVED, REJECTED
        }

        public static final Decision CONSUMED = new Decision(Outcome.CONSUMED, Duration.ZERO);

        public Decision {
            Objects.requireNonNull(outcome, "outcome");
            delay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
        }

        public static Decision reserved(Duration delay) {
            return new Decision(Outcome.RESERVED, delay);
        }

        public static Decision rejected(Duration retryAfter) {
            return new Decision(Outcome.REJECTED, retryAfter);
        }

        /** True when the caller may send (now, or after {@link #delay()} if reserved). */
        public boolean granted() {
            return outcome != Outcome.REJECTED;
        }
    }
}
