package io.herald.core.engagement;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How long to wait after each failed webhook delivery; past the last, the delivery has failed for good. The default
 * is the Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (retries over more than 27 hours).
 */
public record RetrySchedule(List<Duration> delays) {

    public static final RetrySchedule STANDARD = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)));

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) throw new IllegalArgumentException("a retry schedule needs at least one delay");
        for (Duration d : delays) if (d.isNegative()) throw new IllegalArgumentException("retry delays must not be negative");
    }

    /** @param failedAttempts attempts made so far, all failed; empty when no retry is left */
    public Optional<Duration> after(int failedAttempts) {
        return failedAttempts <= delays.size() ? Optional.of(delays.get(failedAttempts - 1)) : Optional.empty();
    }

    public Duration total() {
        return delays.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
