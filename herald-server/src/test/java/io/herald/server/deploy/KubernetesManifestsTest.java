package io.herald.server.deploy;

import io.herald.core.queue.WorkQueue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.herald.server.deploy.DeployFiles.cast;
import static io.herald.server.deploy.DeployFiles.list;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s checked by structure (no schema validator such as kubeconform is packaged for Debian or npm here): the
 * kinds and API versions, probes on Herald's health groups, resources, roles and channels Herald knows, secrets by
 * reference only, and environment variables that name real configuration keys.
 */
class KubernetesManifestsTest {

    private static final Set<String> API_VERSIONS = Set.of("v1/Namespace", "v1/ConfigMap", "v1/Service", "apps/v1/Deployment",
            "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget", "kustomize.config.k8s.io/v1beta1/Kustomization");

    private static List<Map<String, Object>> all() {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object file : list(DeployFiles.yamlDocuments("k8s/kustomization.yaml").getFirst().get("resources"))) {
            docs.addAll(DeployFiles.yamlDocuments("k8s/" + file));
        }
        return docs;
    }

    private static String name(Map<String, Object> doc) {
        return (String) cast(doc.get("metadata")).get("name");
    }

    private static Map<String, Object> at(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String p : path) cur = cast(cur.get(p));
        return cur;
    }

    @Test
    void everyObjectIsAKnownKindInTheHeraldNamespace() {
        Map<String, String> kinds = new HashMap<>();
        for (var doc : all()) {
            assertThat(API_VERSIONS).as(name(doc)).contains(doc.get("apiVersion") + "/" + doc.get("kind"));
            if (!doc.get("kind").equals("Namespace"))
                assertThat(cast(doc.get("metadata")).get("namespace")).as(name(doc)).isEqualTo("herald");
            kinds.merge((String) doc.get("kind"), name(doc), (a, b) -> a + "," + b);
        }
        assertThat(kinds.get("Deployment").split(",")).containsExactlyInAnyOrder("herald-api", "herald-worker-push", "herald-worker-email",
                "herald-worker-sms", "herald-worker-inapp", "herald-scheduler");
        assertThat(kinds).containsEntry("Service", "herald-api").containsEntry("HorizontalPodAutoscaler", "herald-api")
                .containsEntry("ConfigMap", "herald-config");
    }

    @Test
    void deploymentsProbeHealthHaveResourcesAndRunRolesHeraldKnows() {
        Set<String> queues = new TreeSet<>(Set.of("PUSH", "EMAIL", "SMS", "IN_APP"));
        WorkQueue.all().forEach(q -> queues.add(q.name()));
        Set<String> variables = new TreeSet<>();
        Map<String, String> roles = new HashMap<>();
        for (var doc : all()) {
            if (!doc.get("kind").equals("Deployment")) continue;
            var pod = at(doc, "spec", "template");
            assertThat(at(pod, "metadata").get("labels")).as(name(doc)).isEqualTo(at(doc, "spec", "selector").get("matchLabels"));
            var container = cast(list(at(pod, "spec").get("containers")).getFirst());
            assertThat(at(container, "readinessProbe", "httpGet").get("path")).as(name(doc)).isEqualTo("/actuator/health/readiness");
            assertThat(at(container, "livenessProbe", "httpGet").get("path")).as(name(doc)).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "startupProbe", "httpGet").get("path")).as(name(doc)).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "resources", "requests")).as(name(doc)).containsKeys("cpu", "memory");
            assertThat(at(container, "resources", "limits")).as(name(doc)).containsKeys("cpu", "memory");
            assertThat(cast(list(container.get("envFrom")).getFirst()).get("configMapRef")).isEqualTo(Map.of("name", "herald-config"));
            Map<String, Object> env = new HashMap<>();
            for (Object e : list(container.get("env"))) {
                var v = cast(e);
                env.put((String) v.get("name"), v.containsKey("value") ? v.get("value") : v.get("valueFrom"));
                if (v.containsKey("valueFrom") && cast(v.get("valueFrom")).containsKey("secretKeyRef")) {
                    assertThat(at(v, "valueFrom", "secretKeyRef").get("name")).isEqualTo("herald-secrets");
                }
            }
            assertThat(env.get("HERALD_DB_PASSWORD")).as("secrets by reference only").isInstanceOf(Map.class);
            variables.addAll(env.keySet());
            String role = (String) env.get("HERALD_ROLES");
            assertThat(role).isIn("api", "worker", "scheduler");
            if (role.equals("worker")) assertThat(queues).contains((String) env.get("HERALD_WORKER_CHANNELS"));
            roles.put(name(doc), role + (env.containsKey("HERALD_WORKER_CHANNELS") ? ":" + env.get("HERALD_WORKER_CHANNELS") : ""));
        }
        assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of("herald-api", "api", "herald-worker-push", "worker:PUSH",
                "herald-worker-email", "worker:EMAIL", "herald-worker-sms", "worker:SMS", "herald-worker-inapp", "worker:IN_APP",
                "herald-scheduler", "scheduler"));
        for (var doc : all()) {
            if (doc.get("kind").equals("ConfigMap")) variables.addAll(cast(doc.get("data")).keySet());
        }
        variables.remove("JAVA_TOOL_OPTIONS");
        assertThat(DeployFiles.knownVariables()).containsAll(variables);
    }

    @Test
    void theApiIsServedAndScaledAndTheConfigHoldsNoSecret() {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        all().forEach(d -> byKind.put(d.get("kind") + "/" + name(d), d));
        var service = byKind.get("Service/herald-api");
        var api = byKind.get("Deployment/herald-api");
        assertThat(at(service, "spec").get("selector")).isEqualTo(at(api, "spec", "selector").get("matchLabels"));
        var hpa = at(byKind.get("HorizontalPodAutoscaler/herald-api"), "spec");
        assertThat(cast(hpa.get("scaleTargetRef"))).containsEntry("kind", "Deployment").containsEntry("name", "herald-api");
        assertThat((Integer) hpa.get("minReplicas")).isGreaterThanOrEqualTo(2);
        assertThat(cast(byKind.get("ConfigMap/herald-config").get("data")).keySet())
                .noneMatch(k -> k.contains("PASSWORD") || k.contains("SECRET") || k.contains("LOOKUP_KEY"));
    }
}
