package io.herald.core.engagement;

import java.time.Instant;
import java.util.List;

/** Hourly engagement counters of an app, kept up by an {@link EngagementRollup}: never a scan of the history. */
public interface EngagementAnalytics {

    /** Optional filters; null means any. */
    record Filter(String template, String campaign, String channel, String category) {
    }

    /** One counter of one hour, summed over the dimensions not filtered on. reason is "" except for failed/suppressed. */
    record HourCount(Instant hour, String metric, String reason, long count) {
    }

    /** Counters of the hours in [from, to). */
    List<HourCount> hourly(long appId, Instant from, Instant to, Filter f);
}
