package io.herald.server.deploy;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the Grafana dashboard query metrics by name; a renamed metric would leave an alert that never
 * fires. Every name they use must be in a running Herald's /actuator/prometheus once it has sent something.
 */
class DeployMetricsTest extends ServerTestBase {

    /** Metric names in PromQL: Herald's own, Spring's HTTP server metric, JVM and process metrics. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:herald|http_server|jvm|process)_[a-z_]+)\\b");

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardQueryIsExported() {
        String id = UUID.randomUUID().toString();
        assertThat(call("PUT", "/v1/users/m-" + id, APP, "{\"email\":\"m@example.com\"}").status()).isEqualTo(201);
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"m-%s","channels":["EMAIL"],"content":{"subject":"s","text":"t"}}""".formatted(id, id));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String nid = r.body().get("notifications").get(0).get("id").asString();
        assertThat(await("/v1/notifications/" + nid, APP, x -> "SENT".equals(x.body().get("status").asString())).body().get("status")
                .asString())
                .isEqualTo("SENT");

        Set<String> used = new TreeSet<>(metricsIn(DeployFiles.read("prometheus/alerts.yml")));
        used.addAll(metricsIn(DeployFiles.read("grafana/dashboards/herald.json")));
        assertThat(used).contains("herald_queue_depth", "herald_queue_oldest_ready_age_seconds", "herald_notifications_outcome_total",
                "http_server_requests_seconds_count");

        Reply scrape = await("/actuator/prometheus", null, x -> x.raw().contains("herald_notifications_end_to_end_seconds_bucket"));
        assertThat(scrape.status()).isEqualTo(200);
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.raw().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            exported.add(line.split("[{ ]", 2)[0]);
        }
        assertThat(exported).containsAll(used);
    }
}
