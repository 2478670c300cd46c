package io.herald.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When and how the client retries a call on its own.
 *
 * <p>What is retried: calls that are safe to repeat (sends and batches, whose eventId makes a repeat create
 * nothing; GET, PUT and DELETE; device registration, idempotent by token) after a connection failure, a timeout,
 * or an answer 429, 502, 503 or 504. Calls that are not idempotent (tracking events, inbox tokens) are retried only
 * when Herald certainly did not act: the connection could not be opened, or a 429 or 503 came with Retry-After.
 *
 * <p>How long it waits: the server's Retry-After when there is one (a Retry-After longer than
 * {@code maxRetryAfter} is not waited for: the error is thrown at once, with its Retry-After); otherwise
 * exponential backoff with equal jitter: attempt n waits between half and all of
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}. The longest a call can take is therefore about
 * {@code maxAttempts} request timeouts plus the waits between them.
 *
 * @param maxAttempts    attempts in all, the first included (1: never retry)
 * @param initialBackoff the backoff before the first retry
 * @param multiplier     growth of the backoff per retry (at least 1)
 * @param maxBackoff     the longest backoff
 * @param maxRetryAfter  the longest server Retry-After the client waits for
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff, Duration maxRetryAfter) {

    /** 4 attempts; backoff 200 ms, doubling, at most 5 s; Retry-After honoured up to 30 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    /** Never retry: every failure is thrown at once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1; got " + maxAttempts);
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (!(multiplier >= 1.0)) throw new IllegalArgumentException("multiplier must be at least 1; got " + multiplier);
    }

    /** This policy with another number of attempts. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, multiplier, maxBackoff, maxRetryAfter);
    }

    /** The backoff after failed attempt {@code attempt} (1-based) when the server gave no Retry-After. */
    public Duration backoff(int attempt, RandomGenerator random) {
        double ceiling = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        long capped = (long) Math.min(ceiling, (double) maxBackoff.toNanos());
        long half = capped / 2;
        // equal jitter: never less than half the backoff, so retries still spread out but do not collapse to zero
        return Duration.ofNanos(half + (long) (random.nextDouble() * (capped - half)));
    }
}
