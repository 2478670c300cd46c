package io.herald.server.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.herald.server.deploy.DeployFiles.cast;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/compose/compose.yaml as Compose itself reads it ({@code docker-compose config}, which needs no daemon): every
 * role and engine is there, secrets are required rather than defaulted, and every HERALD_ variable names a real key.
 */
class ComposeFileTest {

    private static final Set<String> SERVICES = Set.of("lb", "api-1", "api-2", "worker-push", "worker-email", "worker-sms", "worker-inapp",
            "scheduler", "postgres", "kafka", "redis", "prometheus", "grafana");

    /** The variables of .env.example, as an operator would start from them. */
    private static Map<String, String> exampleEnv() {
        Map<String, String> env = new HashMap<>();
        for (String line : DeployFiles.read("compose/.env.example").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    private static DeployFiles.Run config(Map<String, String> env) {
        String compose = DeployFiles.tool("docker-compose", "docker-compose");
        return DeployFiles.run(DeployFiles.DEPLOY.resolve("compose"), env, compose, "-f", "compose.yaml", "config");
    }

    @Test
    void composeAcceptsTheFileAndItHasEveryRoleAndEngine() {
        DeployFiles.Run run = config(exampleEnv());
        assertThat(run.exit()).as(run.output()).isZero();
        Map<String, Object> resolved = cast(new Yaml().load(run.output()));
        Map<String, Object> services = cast(resolved.get("services"));
        assertThat(services.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);

        Map<String, String> roles = new HashMap<>();
        Set<String> variables = new TreeSet<>();
        services.forEach((name, s) -> {
            Object env = cast(s).get("environment");
            if (env == null || !cast(env).containsKey("HERALD_ROLES")) return;
            Map<String, Object> vars = cast(env);
            roles.put(name, vars.get("HERALD_ROLES")
                    + (vars.containsKey("HERALD_WORKER_CHANNELS") ? ":" + vars.get("HERALD_WORKER_CHANNELS") : ""));
            vars.keySet().stream().filter(k -> k.startsWith("HERALD_")).forEach(variables::add);
            assertThat(vars).as(name).containsEntry("HERALD_QUEUE_ENGINE", "kafka")
                    .containsEntry("HERALD_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                    .containsEntry("HERALD_REDIS_URL", "redis://redis:6379")
                    .containsEntry("HERALD_DB_URL", "jdbc:postgresql://postgres:5432/herald");
            assertThat(cast(cast(s).get("healthcheck")).get("test").toString()).as(name).contains("/actuator/health/readiness");
        });
        assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of("api-1", "api", "api-2", "api", "worker-push", "worker:PUSH",
                "worker-email", "worker:EMAIL", "worker-sms", "worker:SMS", "worker-inapp", "worker:IN_APP", "scheduler", "scheduler"));
        // a misspelt variable would be ignored silently at start-up (environment variables are not checked there)
        assertThat(DeployFiles.knownVariables()).containsAll(variables.stream()
                .filter(v -> !v.equals("HERALD_BOOTSTRAP_APP") && !v.equals("HERALD_BOOTSTRAP_ADMIN")).toList());
        assertThat(variables).contains("HERALD_DB_PASSWORD", "HERALD_PUBLIC_UNSUBSCRIBE_SECRET", "HERALD_CONSOLE_LOOKUP_KEY");

        Map<String, Object> kafka = cast(services.get("kafka"));
        assertThat(cast(kafka.get("environment"))).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller"); // KRaft, no ZooKeeper
        assertThat(run.output()).contains("../prometheus/alerts.yml".replace("..", DeployFiles.DEPLOY.toString()))
                .contains(DeployFiles.DEPLOY.resolve("grafana/dashboards").toString());
    }

    @Test
    void secretsAreRequiredNotDefaulted() {
        for (String secret : List.of("HERALD_DB_PASSWORD", "HERALD_UNSUBSCRIBE_SECRET", "HERALD_CONSOLE_LOOKUP_KEY",
                "GRAFANA_ADMIN_PASSWORD")) {
            Map<String, String> env = exampleEnv();
            env.remove(secret);
            DeployFiles.Run run = config(env);
            assertThat(run.exit()).as(secret + ": " + run.output()).isNotZero();
            assertThat(run.output()).contains(secret);
        }
        assertThat(DeployFiles.read("compose/compose.yaml")).doesNotContainPattern("(?i)password:\\s*[a-z0-9]");
    }
}
