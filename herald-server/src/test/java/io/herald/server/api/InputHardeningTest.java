package io.herald.server.api;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Hardening rules of the contract, one at a time: each of these answered 5xx, or accepted the input, before. */
class InputHardeningTest extends ServerTestBase {

    private static String send(String eventId, String extra) {
        return "{\"eventId\":\"" + eventId + "\",\"to\":{\"email\":\"ada@example.com\"},\"content\":{\"subject\":\"s\",\"text\":\"t\"}"
                + extra + "}";
    }

    private static void assertProblem(Reply r, int status, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("title").asString()).isNotBlank();
        if (field != null) assertThat(r.raw()).contains("\"" + field);
    }

    @Test
    void nulCharactersAndUnpairedSurrogatesAre400NamingTheField() {
        assertProblem(call("POST", "/v1/notifications", APP, send("nul\\u0000id", "")), 400, "eventId");
        assertProblem(call("POST", "/v1/notifications", APP, send("lone-" + UUID.randomUUID(), ",\"category\":\"\\ud800x\"")), 400,
                "category");
        assertProblem(call("PUT", "/v1/users/u-nul", APP, "{\"attributes\":{\"plan\":{\"tier\":\"a\\u0000b\"}}}"), 400,
                "attributes.plan.tier");
        assertProblem(call("PUT", "/v1/users/u-nul", APP, "{\"attributes\":{\"a\\udc00\":1}}"), 400, "attributes");
        assertProblem(call("PUT", "/v1/users/u-nul/preferences", APP, "{\"categories\":{\"x\\u0000\":{}}}"), 400, null);
        assertProblem(call("POST", "/v1/templates", ADMIN, "{\"key\":\"k1\",\"name\":\"bad\\u0000name\"}"), 400, "name");
        assertProblem(call("GET", "/v1/notifications?eventId=a%00b", APP, null), 400, null);
        assertThat(call("GET", "/v1/users/u-nul", APP, null).status()).isEqualTo(404);
        // in credentials too: the key lookup must never see a NUL
        assertProblem(call("GET", "/v1/notifications", "app1\u0000:x", null), 401, null);
        assertProblem(call("GET", "/v1/apps", "admin\u0000:admin-password-1", null), 401, null);
    }

    @Test
    void malformedCursorsDatesEnumsAndNumbersInQueriesAre400NamingTheParameter() {
        RawHttp.Answer percent = RawHttp.send(port, "GET", "/v1/notifications?cursor=%%%", APP, null, null);
        assertThat(percent.status()).as(percent.body()).isEqualTo(400);
        assertThat(percent.contentType()).startsWith("application/problem+json");
        assertThat(percent.body()).contains("cursor");
        assertProblem(call("GET", "/v1/notifications?cursor=AAAA", APP, null), 400, "cursor");
        assertProblem(call("GET", "/v1/notifications?from=yesterday", APP, null), 400, "from");
        assertProblem(call("GET", "/v1/notifications?status=LOST", APP, null), 400, "status");
        assertProblem(call("GET", "/v1/notifications?limit=99999999999999999999", APP, null), 400, "limit");
        assertThat(RawHttp.send(port, "GET", "/v1/audit?cursor=%%%", ADMIN, null, null).status()).isEqualTo(400);
        assertProblem(call("GET", "/v1/templates?cursor=AA", ADMIN, null), 400, "cursor");
        assertProblem(call("GET", "/v1/notifications/not-a-uuid", APP, null), 400, null);
    }

    @Test
    void scalarsOfTheWrongJsonTypeAreRefused() {
        assertProblem(call("POST", "/v1/notifications", APP,
                "{\"eventId\":true,\"to\":{\"email\":\"ada@example.com\"},\"content\":{\"text\":\"t\"}}"), 400, "eventId");
        assertProblem(call("POST", "/v1/notifications", APP, send("types-" + UUID.randomUUID(), ",\"category\":0")), 400, "category");
        assertProblem(call("POST", "/v1/notifications", APP, send("types-" + UUID.randomUUID(), ",\"templateVersion\":\"3\"")), 400,
                "templateVersion");
        assertProblem(call("PUT", "/v1/users/u-types", APP, "{\"email\":12}"), 400, "email");
        assertProblem(call("POST", "/v1/notifications", APP, send("types-" + UUID.randomUUID(), ",\"templateVersion\":1e999")), 400,
                "templateVersion");
        Reply r = call("POST", "/v1/notifications", APP, "{\"eventId\":\"x\",\"channels\":[1]}");
        assertProblem(r, 400, "channels[0]");
    }

    @Test
    void stringLengthsAreBoundedAsDocumented() {
        String id255 = "e".repeat(255);
        assertThat(call("POST", "/v1/notifications", APP, send(id255, "")).status()).isIn(200, 202);
        assertProblem(call("POST", "/v1/notifications", APP, send("e".repeat(256), "")), 422, "eventId");
        assertThat(call("PUT", "/v1/users/" + "u".repeat(255), APP, "{}").status()).isIn(200, 201);
        assertProblem(call("PUT", "/v1/users/" + "u".repeat(256), APP, "{}"), 422, "userId");
        assertProblem(call("POST", "/v1/notifications", APP, "{\"eventId\":\"long-" + UUID.randomUUID()
                + "\",\"to\":{\"email\":\"ada@example.com\"},\"content\":{\"title\":\"" + "t".repeat(1001) + "\"}}"), 422, "content.title");
        assertProblem(call("POST", "/v1/accounts", ADMIN,
                "{\"username\":\"longpass\",\"password\":\"" + "p".repeat(73) + "\",\"role\":\"VIEWER\"}"), 422, "password");
    }

    @Test
    void malformedEmptyDeepAndWronglyTypedBodies() {
        assertProblem(call("POST", "/v1/notifications", APP, "{\"eventId\":"), 400, null);
        assertProblem(call("POST", "/v1/notifications", APP, ""), 400, null);
        assertProblem(call("POST", "/v1/notifications", APP, "{\"eventId\":\"x\"} trailing"), 400, null);
        assertProblem(call("POST", "/v1/notifications", APP, "{\"data\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"), 400, null);
        assertProblem(call("POST", "/v1/notifications", APP, "eventId=x", "text/plain"), 415, null);
    }

    @Test
    void chunkedBodiesOverTheLimitAre413() throws Exception {
        byte[] big = ("{\"eventId\":\"chunked\",\"data\":{\"pad\":\"" + "x".repeat(2 * 1024 * 1024 + 10) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/notifications"))
                .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(APP.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))) // unknown length: chunked
                .build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(call("GET", "/v1/notifications?eventId=chunked", APP, null).body().get("items")).isEmpty();
    }

    @Test
    void appScopesAreEnforced() {
        Reply reader = call("POST", "/v1/apps", ADMIN, "{\"name\":\"reader\",\"scopes\":[\"read\"]}");
        assertThat(reader.status()).isEqualTo(201);
        String creds = reader.body().get("appKey").asString() + ":" + reader.body().get("appSecret").asString();
        assertThat(call("GET", "/v1/notifications", creds, null).status()).isEqualTo(200);
        assertProblem(call("POST", "/v1/notifications", creds, send("scoped-" + UUID.randomUUID(), "")), 403, null);
        assertProblem(call("PUT", "/v1/users/u-scoped", creds, "{}"), 403, null);
        assertProblem(call("GET", "/v1/users/u-scoped", creds, null), 403, null);

        Reply all = call("POST", "/v1/apps", ADMIN, "{\"name\":\"everything\"}");
        assertThat(all.body().get("scopes").toString()).isEqualTo("[\"read\",\"send\",\"topics\",\"users\",\"webhooks\"]");
        String allCreds = all.body().get("appKey").asString() + ":" + all.body().get("appSecret").asString();
        assertThat(call("PUT", "/v1/users/u-scoped", allCreds, "{}").status()).isEqualTo(201);

        assertProblem(call("POST", "/v1/apps", ADMIN, "{\"name\":\"x\",\"scopes\":[\"send\",\"admin\"]}"), 422, "scopes[1]");
        assertProblem(call("POST", "/v1/apps", ADMIN, "{\"name\":\"x\",\"scopes\":[\"send}\",\"read\"]}"), 422, "scopes[0]");
        assertProblem(call("POST", "/v1/apps", ADMIN, "{\"name\":\"x\",\"scopes\":[]}"), 422, "scopes");
    }

    @Test
    void webPushEndpointsMustBePublicHttps() {
        String keys = "\"keys\":{\"p256dh\":\"" + "B".repeat(87) + "\",\"auth\":\"" + "a".repeat(22) + "\"}";
        for (String endpoint : new String[]{"https://127.0.0.1/push", "https://169.254.169.254/latest", "https://[::1]/p",
                "https://10.1.2.3/p",
                "https://[fd00:ec2::254]/p", "https://localhost/p", "http://push.example.com/p", "file:///etc/passwd"}) {
            String body = "{\"platform\":\"WEB\",\"subscription\":{\"endpoint\":\"" + endpoint + "\"," + keys + "}}";
            assertProblem(call("POST", "/v1/users/u-push/devices", APP, body), 422, "subscription.endpoint");
            assertProblem(call("POST", "/v1/notifications", APP, "{\"eventId\":\"wp-" + UUID.randomUUID() + "\",\"to\":{\"device\":" + body
                    + "},\"content\":{\"title\":\"t\"}}"), 422, "to.device.subscription.endpoint");
        }
        call("PUT", "/v1/users/u-push", APP, "{}");
        String ok = "{\"platform\":\"WEB\",\"subscription\":{\"endpoint\":\"https://push.example.com/p/1\"," + keys + "}}";
        assertThat(call("POST", "/v1/users/u-push/devices", APP, ok).status()).isEqualTo(201);
    }
}
