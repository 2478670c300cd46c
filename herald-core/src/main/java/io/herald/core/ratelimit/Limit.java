package io.herald.core.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: up to {@code capacity} notifications at once (the burst), refilled smoothly at
 * {@code refillTokens} per {@code refillPeriod}. "3 per day" allows 3 at once, then one more every 8 hours.
 */
public record Limit(long capacity, long refillTokens, Duration refillPeriod) {

    public Limit {
        Objects.requireNonNull(refillPeriod, "refillPeriod");
        if (capacity < 1 || refillTokens < 1) throw new IllegalArgumentException("capacity and refillTokens must be at least 1");
        if (refillPeriod.isNegative() || refillPeriod.isZero()) throw new IllegalArgumentException("refillPeriod must be positive");
    }

    /** {@code n} at once, refilled to {@code n} over {@code period}. */
    public static Limit of(long n, Duration period) {
        return new Limit(n, n, period);
    }

    public static Limit perMinute(long n) {
        return of(n, Duration.ofMinutes(1));
    }

    public static Limit perHour(long n) {
        return of(n, Duration.ofHours(1));
    }

    public static Limit perDay(long n) {
        return of(n, Duration.ofDays(1));
    }

    /**
     * A stable id of this limit's shape, part of every bucket key: a changed limit starts fresh buckets (the old
     * ones expire) instead of a store having to migrate stored bucket state.
     */
    public String id() {
        return capacity + "+" + refillTokens + "/" + refillPeriod;
    }

    /** For people: "3 per 1 day", "20 per 1 hour (burst 40)". */
    public String describe() {
        return refillTokens + " per " + human(refillPeriod) + (capacity != refillTokens ? " (burst " + capacity + ")" : "");
    }

    static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes())))
            return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
        return d.toSeconds() + " s";
    }
}
