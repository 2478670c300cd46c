package io.herald.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A channel's retry policy: how many attempts, how long to wait before the next one, and the bounds that end
 * every notification whatever happens. Exponential backoff with "equal jitter" (half fixed, half random) so a
 * provider outage does not turn into synchronized retry storms; a provider's Retry-After is honoured as a lower bound.
 *
 * @param maxReclaims a notification whose worker died (its lease expired without an outcome) this many times is
 *                    dead-lettered instead of handed out again: a message that crashes its worker cannot loop for ever
 * @param maxAge      how long after it became due a notification may still be retried; refusals that never reach a
 *                    provider (open circuit) do not use attempts, so this is what bounds them
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
                          int maxReclaims, Duration maxAge) {

    public static final int DEFAULT_MAX_RECLAIMS = 5;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(5), Duration.ofMinutes(10), 3.0);

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (multiplier < 1.0) throw new IllegalArgumentException("multiplier must be at least 1");
        if (maxReclaims < 1) throw new IllegalArgumentException("maxReclaims must be at least 1");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive");
    }

    /** With the default bounds (5 reclaims, 24 h). */
    public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {
        this(maxAttempts, initialBackoff, maxBackoff, multiplier, DEFAULT_MAX_RECLAIMS, DEFAULT_MAX_AGE);
    }

    /** The decision after a transient failure of attempt number {@code attempt} (1-based). */
    public sealed interface Decision {
        record RetryAfter(Duration delay) implements Decision {
        }

        record GiveUp() implements Decision {
        }
    }

    public Decision afterFailure(int attempt, Duration providerRetryAfter, RandomGenerator random) {
        if (attempt >= maxAttempts) return new Decision.GiveUp();
        double exp = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1);
        long capped = (long) Math.min(exp, maxBackoff.toMillis());
        long half = capped / 2;
        long delay = half + (half > 0 ? random.nextLong(half + 1) : 0);
        if (providerRetryAfter != null && providerRetryAfter.toMillis() > delay) delay = providerRetryAfter.toMillis();
        return new Decision.RetryAfter(Duration.ofMillis(delay));
    }
}
