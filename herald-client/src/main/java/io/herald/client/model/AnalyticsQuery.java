package io.herald.client.model;

import java.time.Duration;
import java.time.Instant;

/**
 * Filters of {@code GET /v1/analytics}; null means any (from: 24 h before to; to: now; interval: one hour).
 * Build with {@code AnalyticsQuery.all().channel(Channel.EMAIL).interval(Duration.ofDays(1))}.
 */
public record AnalyticsQuery(String template, String campaign, Channel channel, String category, Instant from, Instant to,
                             Duration interval) {

    public static AnalyticsQuery all() {
        return new AnalyticsQuery(null, null, null, null, null, null, null);
    }

    public AnalyticsQuery template(String t) {
        return new AnalyticsQuery(t, campaign, channel, category, from, to, interval);
    }

    public AnalyticsQuery campaign(String c) {
        return new AnalyticsQuery(template, c, channel, category, from, to, interval);
    }

    public AnalyticsQuery channel(Channel c) {
        return new AnalyticsQuery(template, campaign, c, category, from, to, interval);
    }

    public AnalyticsQuery category(String c) {
        return new AnalyticsQuery(template, campaign, channel, c, from, to, interval);
    }

    public AnalyticsQuery between(Instant f, Instant t) {
        return new AnalyticsQuery(template, campaign, channel, category, f, t, interval);
    }

    public AnalyticsQuery interval(Duration i) {
        return new AnalyticsQuery(template, campaign, channel, category, from, to, i);
    }
}
