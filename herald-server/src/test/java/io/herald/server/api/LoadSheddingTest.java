package io.herald.server.api;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load shedding: past its bound of API requests in progress the server answers 503 with Retry-After at once, instead
 * of holding every request's memory until it runs out; health and the console are outside the bound. Same settings as
 * AppQuotaTest, so the two share one server.
 */
@TestPropertySource(properties = {"herald.api.app-quota-burst=3", "herald.api.app-quota-per-second=1",
        "herald.api.max-requests-in-progress=2"})
class LoadSheddingTest extends ServerTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    io.herald.server.http.BoundedRequestExecutor requestThreads;
    @org.springframework.beans.factory.annotation.Autowired
    io.herald.server.http.RequestsInProgressFilter inProgress;

    @Test
    void pastItsRequestsInProgressTheApiAnswers503WithRetryAfterAndServesAgainOnceTheyEnd() throws IOException {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) held.add(postWithoutItsBody()); // each waits for its body, in progress
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (inProgress.inProgress() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
            Reply shed = call("GET", "/v1/queues", ADMIN, null);
            assertThat(shed.status()).isEqualTo(503);
            assertThat(shed.contentType()).startsWith("application/problem+json");
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(shed.body().get("detail").asString()).contains("at capacity", "2 API requests are in progress");
            assertThat(call("GET", "/actuator/health", null, null).status()).as("health is outside the bound").isEqualTo(200);
            assertThat(requestThreads.limit()).isEqualTo(2 + 64);
            assertThat(requestThreads.running()).as("the web server runs its requests on the bounded executor").isGreaterThanOrEqualTo(2);
        } finally {
            for (Socket s : held) s.close(); // their requests fail reading the body and end
        }
        assertThat(await("/v1/queues", ADMIN, r -> r.status() == 200).status()).isEqualTo(200);
    }

    @Test
    void aSingleSendPastTheIntakesWaitingLimitIs503WithRetryAfter() {
        var answer = new ApiErrors().saturated(new io.herald.core.intake.IntakeSaturatedException(7));
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(answer.getBody().getDetail()).contains("7 single sends are being stored already", "Nothing was stored", "HIGH-priority");
    }

    private Socket postWithoutItsBody() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        String head = "POST /v1/templates HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
                + "Authorization: Basic " + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }
}
