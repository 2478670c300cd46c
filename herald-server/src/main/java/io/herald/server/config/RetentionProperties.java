package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How long notifications, their history and their send receipts are kept ({@code herald.retention.*}).
 *
 * @param notifications kept this long after acceptance, then deleted once settled (default 90 days; 0 keeps them for
 *                      ever). An eventId is deduplicated for as long as its notifications are kept.
 * @param interval      how often the scheduler process deletes what passed it (default 10 minutes)
 * @param batchSize     notifications deleted per statement (default 5,000)
 */
@ConfigurationProperties("herald.retention")
public record RetentionProperties(Duration notifications, Duration interval, Integer batchSize) {

    public RetentionProperties {
        notifications = notifications == null ? Duration.ofDays(90) : notifications;
        interval = interval == null ? Duration.ofMinutes(10) : interval;
        batchSize = batchSize == null ? 5000 : batchSize;
        if (notifications.isNegative()) throw new IllegalArgumentException("herald.retention.notifications must not be negative");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("herald.retention.interval must be positive");
        if (batchSize < 1) throw new IllegalArgumentException("herald.retention.batch-size must be at least 1");
    }

    /** False when {@code notifications} is 0: nothing is ever deleted. */
    public boolean enabled() {
        return !notifications.isZero();
    }
}
