package io.herald.core.ratelimit;

import java.time.Duration;
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
     * @param outcome what happened
     * @param delay   RESERVED: how long until the reserved token is due; REJECTED: until a token would be free;
     *                CONSUMED: zero
     */
    record Decision(Outcome outcome, Duration delay) {

        public enum Outcome { CONSUMED, RESERVED, REJECTED }

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
