package io.herald.server.api;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A client app over its API quota gets 429 with Retry-After; other apps and operators are not affected. */
// the same settings as LoadSheddingTest, so the two share one server
@TestPropertySource(properties = {"herald.api.app-quota-burst=3", "herald.api.app-quota-per-second=1",
        "herald.api.max-requests-in-progress=2"})
class AppQuotaTest extends ServerTestBase {

    @Test
    void overTheQuotaIs429WithRetryAfter() {
        int ok = 0;
        Reply limited = null;
        long start = System.nanoTime();
        for (int i = 0; i < 8 && limited == null; i++) {
            Reply r = call("GET", "/v1/notifications?limit=1", APP, null);
            if (r.status() == 200) ok++;
            else
                limited = r;
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        // the burst of 3, plus one token per second the loop took (a slow machine refills more)
        assertThat(ok).isBetween(3, 3 + (int) seconds + 1);
        assertThat(limited).isNotNull();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(call("GET", "/v1/queues", ADMIN, null).status()).isEqualTo(200);
    }
}
