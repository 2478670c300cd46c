package io.herald.server.api;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a single send answers on the wire, good and bad, whether {@link SingleSendFilter} takes the request or MVC does:
 * the same assertions run against both ({@code herald.api.direct-send} on and off).
 */
abstract class SingleSendWire extends ServerTestBase {

    @Autowired
    ApplicationContext context;

    String send(String eventId) {
        return """
                {"eventId":"%s","to":{"email":"ada@example.com"},"channels":["EMAIL"],"content":{"subject":"s","text":"t"}}"""
                .formatted(eventId);
    }

    @Test
    void aSendIsAcceptedAndItsReplayAnswersTheSameReceipt() {
        String eventId = "wire-" + UUID.randomUUID();
        Reply first = call("POST", "/v1/notifications", APP, send(eventId));
        assertThat(first.status()).as(first.raw()).isEqualTo(202);
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(first.body().get("eventId").asString()).isEqualTo(eventId);
        assertThat(first.body().get("notifications").get(0).get("status").asString()).isEqualTo("QUEUED");
        Reply again = call("POST", "/v1/notifications", APP, send(eventId));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(call("POST", "/v1/notifications", APP, send(eventId), "application/json; charset=UTF-8").status()).isEqualTo(200);
    }

    @Test
    void badBodiesAreProblemsThatNameWhatIsWrong() {
        Reply broken = call("POST", "/v1/notifications", APP, "{\"eventId\":");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.contentType()).isEqualTo("application/problem+json");
        assertThat(broken.body().get("title").asString()).isEqualTo("Malformed request body");

        Reply wrongType = call("POST", "/v1/notifications", APP, "{\"eventId\":\"e\",\"channels\":\"EMAIL\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().get("errors").get(0).get("field").asString()).isEqualTo("channels");
        assertThat(wrongType.body().get("detail").asString()).isEqualTo("channels: must be an array");

        for (String missing : new String[]{"", "null"}) {
            Reply r = call("POST", "/v1/notifications", APP, missing);
            assertThat(r.status()).as("body '%s'", missing).isEqualTo(400);
            assertThat(r.body().get("detail").asString()).endsWith("the body is missing, empty or null");
        }

        Reply invalid = call("POST", "/v1/notifications", APP, "{\"eventId\":\"e-" + UUID.randomUUID()
                + "\",\"to\":{\"email\":\"a@example.com\"},\"channels\":[\"EMAIL\"],\"content\":{\"title\":\"no subject\"}}");
        assertThat(invalid.status()).as(invalid.raw()).isEqualTo(422);
        assertThat(invalid.contentType()).isEqualTo("application/problem+json");
        assertThat(invalid.body().get("errors").get(0).get("field").asString()).isEqualTo("content");

        Reply unknownTemplate = call("POST", "/v1/notifications", APP,
                "{\"eventId\":\"e-" + UUID.randomUUID() + "\",\"to\":{\"email\":\"a@example.com\"},\"template\":\"no-such-template\"}");
        assertThat(unknownTemplate.status()).as(unknownTemplate.raw()).isEqualTo(422);
        assertThat(unknownTemplate.body().get("errors").get(0).get("field").asString()).isEqualTo("template");

        Reply tooLarge = call("POST", "/v1/notifications", APP,
                "{\"eventId\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(413);

        Reply notJson = call("POST", "/v1/notifications", APP, send("e-" + UUID.randomUUID()), "text/plain");
        assertThat(notJson.status()).isEqualTo(415);
        assertThat(notJson.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void noCredentialsNoSend() {
        Reply r = call("POST", "/v1/notifications", null, send("e-" + UUID.randomUUID()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anAcceptThatRulesJsonOutIsRefusedWithoutStoringAnything() throws Exception {
        String eventId = "e-" + UUID.randomUUID();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/notifications"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(APP.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(send(eventId))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(406);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        Long stored = context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM send_requests WHERE event_id = ?",
                Long.class,
                eventId);
        assertThat(stored).isZero();
    }

    @Test
    void theRouteIsNamedInTheRequestMetrics() {
        call("POST", "/v1/notifications", APP, send("e-" + UUID.randomUUID()));
        Reply metrics = call("GET", "/actuator/prometheus", null, null);
        assertThat(metrics.raw())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*uri=\"/v1/notifications\"");
    }

    /** Each request counted once, under the tags Spring's own observation gives (SingleSendTimer stands in for it). */
    @Test
    void eachSendIsCountedOnceUnderSpringsTags() {
        String accepted = "error=\"none\",exception=\"none\",method=\"POST\",outcome=\"SUCCESS\",status=\"202\",uri=\"/v1/notifications\"";
        String invalid = "error=\"none\",exception=\"none\",method=\"POST\",outcome=\"CLIENT_ERROR\",status=\"422\",uri=\"/v1/notifications\"";
        String unauthorised = "error=\"none\",exception=\"none\",method=\"POST\",outcome=\"CLIENT_ERROR\",status=\"401\",uri=\"UNKNOWN\"";
        double a0 = count(accepted), i0 = count(invalid), u0 = count(unauthorised);
        assertThat(call("POST", "/v1/notifications", APP, send("e-" + UUID.randomUUID())).status()).isEqualTo(202);
        assertThat(call("POST", "/v1/notifications", APP, "{\"eventId\":\"e-" + UUID.randomUUID() + "\"}").status()).isEqualTo(422);
        assertThat(call("POST", "/v1/notifications", "nobody:wrong-secret", send("e-" + UUID.randomUUID())).status()).isEqualTo(401);
        assertThat(count(accepted)).isEqualTo(a0 + 1);
        assertThat(count(invalid)).isEqualTo(i0 + 1);
        assertThat(count(unauthorised)).isEqualTo(u0 + 1);
    }

    private double count(String tags) {
        String line = "http_server_requests_seconds_count{" + tags + "} ";
        return call("GET", "/actuator/prometheus", null, null).raw().lines().filter(l -> l.startsWith(line))
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).findFirst().orElse(0);
    }
}
