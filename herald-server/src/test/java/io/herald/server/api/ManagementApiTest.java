package io.herald.server.api;

import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator accounts, roles, apps, queues, audit and the operational endpoints. */
class ManagementApiTest extends ServerTestBase {

    @Override
    protected boolean checksResponsesAgainstOpenApi() {
        return true;
    }

    private String account(String role) {
        String name = role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        Reply r = call("POST", "/v1/accounts", ADMIN,
                "{\"username\":\"%s\",\"password\":\"long-enough-password\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return name + ":long-enough-password";
    }

    @Test
    void rolesGateTheManagementApi() {
        String viewer = account("VIEWER"), editor = account("EDITOR"), publisher = account("PUBLISHER");
        for (String who : new String[]{viewer, editor, publisher}) {
            assertThat(call("POST", "/v1/apps", who, "{\"name\":\"x\"}").status()).isEqualTo(403);
            assertThat(call("GET", "/v1/apps", who, null).status()).isEqualTo(403);
            assertThat(call("POST", "/v1/accounts", who, "{\"username\":\"zzz\",\"password\":\"long-enough-password\",\"role\":\"ADMIN\"}")
                    .status()).isEqualTo(403);
            assertThat(call("POST", "/v1/dead-letters/requeue", who, "{\"ids\":[\"" + UUID.randomUUID() + "\"]}").status()).isEqualTo(403);
            assertThat(call("GET", "/v1/queues", who, null).status()).isEqualTo(200);
            assertThat(call("GET", "/v1/audit", who, null).status()).isEqualTo(200);
        }
        assertThat(call("GET", "/v1/apps", ADMIN, null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/queues", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/queues", "admin:wrong-password", null).status()).isEqualTo(401);
    }

    @Test
    void accountChangesAreAuditedAndRolesChangeAtOnce() {
        String viewer = account("VIEWER");
        String name = viewer.substring(0, viewer.indexOf(':'));
        assertThat(call("PUT", "/v1/accounts/" + name, ADMIN, "{\"role\":\"ADMIN\"}").status()).isEqualTo(200);
        assertThat(call("GET", "/v1/apps", viewer, null).status()).isEqualTo(200);
        assertThat(call("DELETE", "/v1/accounts/" + name, ADMIN, null).status()).isEqualTo(204);
        assertThat(call("GET", "/v1/queues", viewer, null).status()).isEqualTo(401);
        Reply audit = call("GET", "/v1/audit?entityType=account&entityId=" + name, ADMIN, null);
        assertThat(audit.body().get("items")).extracting(e -> e.get("action").asString()).containsExactly("CREATE", "UPDATE", "DISABLE");
        assertThat(audit.body().get("items").get(1).get("diff").get("role").get("to").asString()).isEqualTo("ADMIN");
        assertThat(audit.body().get("items").get(0).get("actor").asString()).isEqualTo("admin");
        assertThat(call("DELETE", "/v1/audit", ADMIN, null).status()).isEqualTo(405);
        assertThat(call("POST", "/v1/accounts", ADMIN, "{\"username\":\"x\",\"password\":\"short\",\"role\":\"GOD\"}").body().get("errors"))
                .hasSize(3);
    }

    @Test
    void queuesReportEveryLaneAndOperationsEndpointsAnswer() {
        Reply q = call("GET", "/v1/queues", ADMIN, null);
        assertThat(q.body().get("lanes")).hasSize(WorkQueue.all().size() * Priority.values().length);
        assertThat(q.body().get("lanes").get(0).has("oldestReadyAgeSeconds")).isTrue();
        // push has a queue per platform; the lanes name the API channel and the platform too
        assertThat(q.body().get("lanes")).filteredOn(l -> l.get("queue").asString().equals("PUSH_ANDROID")).hasSize(3)
                .allSatisfy(l -> {
                    assertThat(l.get("channel").asString()).isEqualTo("PUSH");
                    assertThat(l.get("platform").asString()).isEqualTo("ANDROID");
                });
        assertThat(q.body().get("lanes")).filteredOn(l -> l.get("queue").asString().equals("EMAIL"))
                .allSatisfy(l -> assertThat(l.get("platform").isNull()).isTrue());
        Reply health = call("GET", "/actuator/health/readiness", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.raw()).contains("\"queues\"").contains("\"db\"");
        Reply sent = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","to":{"email":"m@example.com"},"content":{"subject":"s","text":"t"}}""".formatted(UUID.randomUUID()));
        String id = sent.body().get("notifications").get(0).get("id").asString();
        // delivered: its lane has started it, by claim or by handoff, and counted it
        assertThat(await("/v1/notifications/" + id, APP, r -> r.body().get("status").asString().equals("SENT")).body().get("status")
                .asString()).isEqualTo("SENT");
        Reply metrics = call("GET", "/actuator/prometheus", null, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.raw()).contains("herald_notifications_accepted_total").contains("herald_queue_depth")
                .contains("queue=\"PUSH_IOS\"").contains("herald_dispatch_started_total{");
        Reply docs = call("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.raw()).contains("/v1/notifications").contains("/v1/users/{userId}/devices");
    }
}
