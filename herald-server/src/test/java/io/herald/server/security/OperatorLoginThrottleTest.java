package io.herald.server.security;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed operator logins over real HTTP: 429 with Retry-After past the budgets, refused before any BCrypt work,
 * unknown usernames as costly as known ones, and a cached login untouched by a bad attempt. Each test speaks from
 * loopback addresses of its own (127.0.0.x), so the per-address budgets of the tests do not mix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorLoginThrottleTest {

    static final String SCHEMA = TestPostgres.newSchema("loginthrottle");
    static final String ADMIN = "admin:admin-password-1";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("herald.db.url", () -> TestPostgres.URL);
        r.add("herald.db.username", () -> TestPostgres.USER);
        r.add("herald.db.schema", () -> SCHEMA);
        r.add("herald.bootstrap.admin", () -> ADMIN);
        r.add("herald.security.login.failures-per-address", () -> "10");
        r.add("herald.security.login.failures-per-account", () -> "15");
        r.add("herald.api.auth-cache-seconds", () -> "300"); // the cache must not expire during a test
        r.add("herald.db.pool-size", () -> "4");
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                TestPostgres.dropSchema(SCHEMA);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }));
    }

    /** Counts password checks: the CPU cost an attacker can make the server pay. */
    static final class CountingHasher extends Authenticator.PasswordHasher {
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public boolean matches(String password, String hash) {
            checks.incrementAndGet();
            return super.matches(password, hash);
        }
    }

    @TestConfiguration
    static class Counting {
        @Bean
        @Primary
        CountingHasher countingHasher() {
            return new CountingHasher();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    CountingHasher hasher;

    record Reply(int status, String contentType, JsonNode body, java.net.http.HttpHeaders headers) {
    }

    Reply call(String from, String method, String path, String credentials, String body) {
        HttpClient client;
        try {
            client = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try (client) {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("Content-Type").orElse("");
            return new Reply(r.statusCode(), ct, ct.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null, r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    void accounts() {
        for (String name : new String[]{"ops1", "ops2", "ops3"}) {
            Reply r = call("127.0.0.1", "POST", "/v1/accounts", ADMIN,
                    "{\"username\":\"" + name + "\",\"password\":\"" + name + "-password-1\",\"role\":\"VIEWER\"}");
            assertThat(r.status()).isEqualTo(201);
        }
    }

    @Test
    void badPasswordsFromOneAddressAre429BeforeAnyHashingWhileOtherAddressesStillGetIn() {
        String attacker = "127.0.0.11";
        for (int i = 0; i < 10; i++) {
            assertThat(call(attacker, "GET", "/v1/queues", "ops1:guess-" + i, null).status()).isEqualTo(401);
        }
        int checks = hasher.checks.get();
        Reply throttled = call(attacker, "GET", "/v1/queues", "ops1:guess-10", null);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.contentType()).startsWith("application/problem+json");
        assertThat(throttled.body().get("status").asInt()).isEqualTo(429);
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, Duration.ofMinutes(15).toSeconds());
        // refused unchecked, even with the right password, and from that address for other accounts too
        assertThat(call(attacker, "GET", "/v1/queues", "ops1:ops1-password-1", null).status()).isEqualTo(429);
        assertThat(call(attacker, "GET", "/v1/queues", "someone-else:some-password", null).status()).isEqualTo(429);
        assertThat(hasher.checks.get()).as("no BCrypt work for throttled attempts").isEqualTo(checks);

        assertThat(call("127.0.0.12", "GET", "/v1/queues", "ops1:ops1-password-1", null).status()).isEqualTo(200);
    }

    @Test
    void guessesSpreadOverAddressesAreStoppedPerAccount() {
        for (int i = 0; i < 15; i++) {
            assertThat(call("127.0.0." + (21 + i % 2), "GET", "/v1/queues", "ops2:guess-" + i, null).status()).isEqualTo(401);
        }
        assertThat(call("127.0.0.23", "GET", "/v1/queues", "ops2:ops2-password-1", null).status()).isEqualTo(429);
        assertThat(call("127.0.0.23", "GET", "/v1/queues", "ops3:ops3-password-1", null).status())
                .as("the address itself is fine").isEqualTo(200);
    }

    @Test
    void unknownUsernamesCostAPasswordCheckLikeKnownOnes() {
        int before = hasher.checks.get();
        assertThat(call("127.0.0.31", "GET", "/v1/queues", "nobody-by-that-name:whatever-1", null).status()).isEqualTo(401);
        assertThat(hasher.checks.get()).isEqualTo(before + 1);
        assertThat(call("127.0.0.31", "GET", "/v1/queues", "ops3:wrong-password-1", null).status()).isEqualTo(401);
        assertThat(hasher.checks.get()).isEqualTo(before + 2);
    }

    @Test
    void aBadAttemptDoesNotEvictACachedLogin() {
        String from = "127.0.0.41";
        assertThat(call(from, "GET", "/v1/queues", ADMIN, null).status()).isEqualTo(200);
        int cached = hasher.checks.get();
        assertThat(call(from, "GET", "/v1/queues", ADMIN, null).status()).isEqualTo(200);
        assertThat(hasher.checks.get()).as("served from the cache").isEqualTo(cached);

        assertThat(call(from, "GET", "/v1/queues", "admin:not-the-password", null).status()).isEqualTo(401);
        int afterBad = hasher.checks.get();
        assertThat(call(from, "GET", "/v1/queues", ADMIN, null).status()).isEqualTo(200);
        assertThat(hasher.checks.get()).as("still served from the cache after a bad attempt").isEqualTo(afterBad);
    }
}
