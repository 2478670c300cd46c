package io.herald.server.api;

import io.herald.core.engagement.EngagementAnalytics;
import io.herald.core.model.Channel;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Delivery and engagement figures of the calling app per time bucket, read from hourly rollups (so a month costs the
 * same whatever the volume). Opens and clicks count people; machines' are reported apart.
 */
@RestController
public class AnalyticsController {

    static final int MAX_BUCKETS = 2000;

    public record Counts(long sent, long delivered, long opened, long clicked, long converted, Map<String, Long> failed,
                         Map<String, Long> suppressed, long expired, long cancelled, long automatedOpens, long automatedClicks) {
    }

    public record Bucket(Instant start, long sent, long delivered, long opened, long clicked, long converted, Map<String, Long> failed,
                         Map<String, Long> suppressed, long expired, long cancelled, long automatedOpens, long automatedClicks) {
    }

    /** Shares, each null when its denominator is 0: delivered/sent, opened/delivered, clicked/delivered, converted/delivered. */
    public record Rates(Double delivery, Double open, Double click, Double conversion) {
    }

    public record Totals(long sent, long delivered, long opened, long clicked, long converted, Map<String, Long> failed,
                         Map<String, Long> suppressed, long expired, long cancelled, long automatedOpens, long automatedClicks,
                         Rates rates) {
    }

    public record Analytics(Instant from, Instant to, Duration interval, List<Bucket> buckets, Totals totals) {
    }

    private final EngagementAnalytics analytics;
    private final Clock clock;

    public AnalyticsController(EngagementAnalytics analytics, Clock clock) {
        this.analytics = analytics;
        this.clock = clock;
    }

    @GetMapping("/v1/analytics")
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public Analytics get(@RequestParam(required = false) String template, @RequestParam(required = false) String campaign,
                         @RequestParam(required = false) String channel, @RequestParam(required = false) String category,
                         @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                         @RequestParam(required = false) String interval, HttpServletRequest req) {
        Checks c = new Checks();
        Channel ch = c.oneOf("channel", channel, Channel.class);
        c.maxLength("template", template, FieldLimits.TEMPLATE_KEY);
        c.maxLength("campaign", campaign, FieldLimits.EVENT_ID);
        c.maxLength("category", category, FieldLimits.CATEGORY);
        Instant f = c.instant("from", from), t = c.instant("to", to);
        Duration step = Duration.ofHours(1);
        if (interval != null) {
            try {
                step = c.maxLength("interval", interval, 32) ? Duration.parse(interval) : step;
                if (step.isNegative() || step.isZero() || step.toSeconds() % 3600 != 0) {
                    c.add("interval", "must be a whole number of hours, such as PT1H or PT24H");
                }
            } catch (java.time.format.DateTimeParseException e) {
                c.add("interval", "'" + interval + "' is not an ISO-8601 duration such as PT1H");
            }
        }
        c.throwAsBadParameters();
        Instant end = ceilHour(t == null ? clock.instant() : t);
        Instant start = (f == null ? end.minus(Duration.ofDays(1)) : f).truncatedTo(ChronoUnit.HOURS);
        if (!start.isBefore(end)) c.add("from", "must be before to");
        else if (Duration.between(start, end).dividedBy(step) > MAX_BUCKETS) {
            c.add("interval", "gives more than " + MAX_BUCKETS + " buckets between from and to; choose a longer interval");
        }
        c.throwAsBadParameters();
        var rows = analytics.hourly(Callers.app(req).id(), start, end,
                new EngagementAnalytics.Filter(template, campaign, ch == null ? null : ch.name(), category));
        int n = (int) ((Duration.between(start, end).toSeconds() + step.toSeconds() - 1) / step.toSeconds());
        List<Tally> tallies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) tallies.add(new Tally());
        Tally total = new Tally();
        for (var r : rows) {
            int i = (int) (Duration.between(start, r.hour()).toSeconds() / step.toSeconds());
            tallies.get(i).add(r.metric(), r.reason(), r.count());
            total.add(r.metric(), r.reason(), r.count());
        }
        List<Bucket> buckets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Tally x = tallies.get(i);
            buckets.add(new Bucket(start.plus(step.multipliedBy(i)), x.sent, x.delivered, x.opened, x.clicked, x.converted, x.failed,
                    x.suppressed, x.expired, x.cancelled, x.automatedOpens, x.automatedClicks));
        }
        Rates rates = new Rates(share(total.delivered, total.sent), share(total.opened, total.delivered),
                share(total.clicked, total.delivered), share(total.converted, total.delivered));
        return new Analytics(start, end, step, buckets, new Totals(total.sent, total.delivered, total.opened, total.clicked,
                total.converted, total.failed, total.suppressed, total.expired, total.cancelled, total.automatedOpens,
                total.automatedClicks, rates));
    }

    private static Instant ceilHour(Instant i) {
        Instant floor = i.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(i) ? i : floor.plus(Duration.ofHours(1));
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 10000.0 / whole) / 10000.0;
    }

    /** Sums of one bucket, by the metric names the rollup stores. */
    private static final class Tally {
        long sent, delivered, opened, clicked, converted, expired, cancelled, automatedOpens, automatedClicks;
        final Map<String, Long> failed = new TreeMap<>();
        final Map<String, Long> suppressed = new TreeMap<>();

        void add(String metric, String reason, long n) {
            switch (metric) {
                case "sent" -> sent += n;
                case "delivered" -> delivered += n;
                case "opened" -> opened += n;
                case "clicked" -> clicked += n;
                case "converted" -> converted += n;
                case "expired" -> expired += n;
                case "cancelled" -> cancelled += n;
                case "automatedOpens" -> automatedOpens += n;
                case "automatedClicks" -> automatedClicks += n;
                case "failed" -> failed.merge(reason.isEmpty() ? "UNKNOWN" : reason, n, Long::sum);
                case "suppressed" -> suppressed.merge(reason.isEmpty() ? "UNKNOWN" : reason, n, Long::sum);
                default -> {
                    // a metric a newer node writes: ignored here rather than failing the request
                }
            }
        }
    }
}
