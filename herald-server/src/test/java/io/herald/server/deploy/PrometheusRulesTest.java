package io.herald.server.deploy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus's own checker on the rules and the scrape config, and the rules' unit tests (alerts_test.yml). */
class PrometheusRulesTest {

    private static DeployFiles.Run promtool(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = DeployFiles.tool("prometheus", "promtool");
        System.arraycopy(args, 0, command, 1, args.length);
        return DeployFiles.run(DeployFiles.DEPLOY.resolve("prometheus"), Map.of(), command);
    }

    @Test
    void rulesAndConfigAreValidAndTheAlertsFireWhenTheyShould() {
        DeployFiles.Run rules = promtool("check", "rules", "alerts.yml");
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 8 rules found");
        DeployFiles.Run config = promtool("check", "config", "prometheus.yml");
        assertThat(config.exit()).as(config.output()).isZero();
        DeployFiles.Run tests = promtool("test", "rules", "alerts_test.yml");
        assertThat(tests.exit()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("SUCCESS");
        assertThat(DeployFiles.read("prometheus/alerts.yml")).contains("alert: HeraldBacklogHigh", "alert: HeraldOldestItemTooOld",
                "alert: HeraldDeadLettersGrowing", "alert: HeraldDeliveryErrorRate", "alert: HeraldApiServerErrors");
    }
}
