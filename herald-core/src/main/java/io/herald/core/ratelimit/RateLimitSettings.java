package io.herald.core.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Per-user rate limits by category; each applies per user (or one-off address) and per channel. Built by the server
 * from configuration; {@link #defaults()} already protects users when nothing is configured.
 *
 * @param enabled         false turns every limit off
 * @param categories      limits by category name
 * @param unknownCategory the limit of a category not listed, and of sends that name none
 */
public record RateLimitSettings(boolean enabled, Map<String, CategoryLimit> categories, CategoryLimit unknownCategory) {

    public RateLimitSettings {
        categories = Map.copyOf(categories);
        Objects.requireNonNull(unknownCategory, "unknownCategory");
    }

    /**
     * marketing 3 per day, dropped (a late promotion is worthless); social 10 per hour, dropped; security 10 per hour,
     * dropped (a late code is useless and a flood of codes is abuse); transactional 20 per hour, deferred up to one
     * hour (receipts should arrive, late rather than never); any other category 20 per hour, deferred up to one hour.
     */
    public static RateLimitSettings defaults() {
        return new RateLimitSettings(true, Map.of(
                "marketing", CategoryLimit.drop(Limit.perDay(3)),
                "social", CategoryLimit.drop(Limit.perHour(10)),
                "security", CategoryLimit.drop(Limit.perHour(10)),
                "transactional", CategoryLimit.defer(Limit.perHour(20), Duration.ofHours(1))),
                CategoryLimit.defer(Limit.perHour(20), Duration.ofHours(1)));
    }

    public static RateLimitSettings disabled() {
        return new RateLimitSettings(false, Map.of(), defaults().unknownCategory());
    }

    /** The limit for {@code category}; the unknown-category one when it is null or not listed. */
    public CategoryLimit limitFor(String category) {
        return category == null ? unknownCategory : categories.getOrDefault(category, unknownCategory);
    }
}
