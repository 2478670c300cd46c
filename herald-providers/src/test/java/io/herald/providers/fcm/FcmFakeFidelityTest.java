package io.herald.providers.fcm;

import io.herald.testkit.fcm.FakeFcmServer;
import io.herald.testkit.fcm.TestServiceAccount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake refuses what real FCM refuses, so FcmProviderTest's green runs mean something: raw HTTP against
 * FakeFcmServer, with the provider's own token source for a valid bearer token.
 */
class FcmFakeFidelityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static FakeFcmServer fcm;
    static TestServiceAccount account;
    static HttpClient http;
    static String accessToken;

    @BeforeAll
    static void start() throws Exception {
        fcm = FakeFcmServer.start("fidelity");
        account = fcm.newServiceAccount(dir);
        http = HttpClient.newHttpClient();
        ServiceAccount loaded = ServiceAccount.load(account.file(), JSON);
        accessToken = new AccessTokens(loaded, loaded.tokenUri(), http, JSON, Clock.systemUTC(), Duration.ofSeconds(5),
                Duration.ofMinutes(5)).get();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (fcm != null) fcm.close();
    }

    @Test
    void lowerCaseAndroidPriorityIsInvalidArgumentWithABadRequestDetail() throws Exception {
        HttpResponse<String> response = send(accessToken, """
                {"message": {"token": "t", "android": {"priority": "high"}}}""");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("details").get(0).path("@type").asString()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
        assertThat(error.path("details").get(0).path("fieldViolations").get(0).path("field").asString())
                .isEqualTo("message.android.priority");
    }

    @Test
    void nonStringDataAndUnknownFieldsAreRefused() throws Exception {
        assertThat(send(accessToken, "{\"message\": {\"token\": \"t\", \"data\": {\"n\": 1}}}").statusCode()).isEqualTo(400);
        assertThat(send(accessToken, "{\"message\": {\"token\": \"t\", \"click_action\": \"x\"}}").statusCode()).isEqualTo(400);
        assertThat(send(accessToken, "{\"message\": {\"token\": \"t\", \"topic\": \"news\"}}").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownBearerTokenIs401WithoutFcmErrorDetail() throws Exception {
        HttpResponse<String> response = send("ya29.made-up", "{\"message\": {\"token\": \"t\"}}");

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("status").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(error.has("details")).isFalse();
    }

    @Test
    void tamperedAssertionIsAnInvalidGrant() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(fcm.tokenUri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                        + "&assertion=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.AAAA"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asString()).isEqualTo("invalid_grant");
    }

    private static HttpResponse<String> send(String bearer, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fcm.baseUrl() + "/v1/projects/fidelity/messages:send"))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
