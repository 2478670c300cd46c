package io.herald.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Delivery and engagement figures per time bucket; opens and clicks count people, machines' are apart. */
public record Analytics(Instant from, Instant to, Duration interval, List<Bucket> buckets, Totals totals) {

    public record Bucket(Instant start, long sent, long delivered, long opened, long clicked, long converted,
                         Map<String, Long> failed, Map<String, Long> suppressed, long expired, long cancelled,
                         long automatedOpens, long automatedClicks) {
    }

    /** @param rates delivered/sent, opened, clicked and converted per delivered; each null when its denominator is 0 */
    public record Totals(long sent, long delivered, long opened, long clicked, long converted, Map<String, Long> failed,
                         Map<String, Long> suppressed, long expired, long cancelled, long automatedOpens, long automatedClicks,
                         Rates rates) {
    }

    public record Rates(Double delivery, Double open, Double click, Double conversion) {
    }
}
