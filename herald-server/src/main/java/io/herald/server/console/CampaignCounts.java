package io.herald.server.console;

import io.herald.core.audience.CampaignService;

import java.util.Map;

/**
 * What a campaign's notifications have come to, as the console shows it: audience (recipients planned so far),
 * waiting for their time, queued, suppressed, sent, failed; and the engagement funnel.
 */
record CampaignCounts(long audience, long scheduled, long queued, long suppressed, long sent, long failed, Map<String, Long> funnel) {

    static CampaignCounts of(CampaignService.View v) {
        Map<String, Long> s = v.progress().map(p -> p.byStatus()).orElse(Map.of());
        long audience = v.progress().map(p -> p.broadcast().recipients()).orElse(0L);
        return new CampaignCounts(audience, n(s, "SCHEDULED"), n(s, "QUEUED") + n(s, "SENDING") + n(s, "RETRYING"), n(s, "SUPPRESSED"),
                n(s, "SENT") + n(s, "DELIVERED"), n(s, "FAILED"), v.funnel());
    }

    private static long n(Map<String, Long> s, String status) {
        return s.getOrDefault(status, 0L);
    }
}
