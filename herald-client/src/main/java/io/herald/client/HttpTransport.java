package io.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.client.model.Problem;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One HTTP call with Herald's authentication, problem+json errors and the retry policy. Immutable, so shared
 * by every thread using the client.
 */
final class HttpTransport {

    /** Whether repeating a call can do harm: it decides which failures are retried (see {@link RetryPolicy}). */
    enum Repeat {
        SAFE, UNSAFE
    }

    /** A successful (2xx) answer. */
    record Answer(int status, byte[] body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return Json.tree(body);
            } catch (IOException e) {
                throw new HeraldTransportException("Herald answered " + status + " with a body that is not JSON: " + e.getMessage(), e,
                        false, 1);
            }
        }
    }

    private static final List<Integer> RETRYABLE_IF_SAFE = List.of(429, 502, 503, 504);

    private final HttpClient http;
    private final String baseUrl;
    private final String authorization;
    private final String userAgent;
    private final Duration requestTimeout;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;

    HttpTransport(HttpClient http, String baseUrl, String authorization, String userAgent, Duration requestTimeout,
                  RetryPolicy policy, Sleeper sleeper, Clock clock, RandomGenerator random) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.userAgent = userAgent;
        this.requestTimeout = requestTimeout;
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Sends the call, retrying as the policy allows; returns a 2xx answer or throws.
     *
     * @param pathAndQuery already percent-encoded, starting with {@code /v1/}
     * @param body         JSON to send, or null for none
     */
    Answer call(String method, String pathAndQuery, byte[] body, Repeat repeat) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("User-Agent", userAgent)
                .header("Accept", "application/json, application/problem+json");
        if (body != null) b.header("Content-Type", "application/json");
        // the same bytes on every attempt: a retried send carries the same eventId
        HttpRequest request = b
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build();
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        boolean safe = repeat == Repeat.SAFE;

        for (int attempt = 1;; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpConnectTimeoutException | ConnectException e) {
                // no connection, so the request never reached Herald: any call may be retried
                pause(attempt, e, true, method, path);
                continue;
            } catch (HttpTimeoutException e) {
                if (!safe)
                    throw transport(method, path,
                            "timed out after " + requestTimeout.toMillis() + " ms; Herald may or may not have acted on it", e, true,
                            attempt);
                pause(attempt, e, true, method, path);
                continue;
            } catch (IOException e) {
                if (!safe) throw transport(method, path, "failed: " + e + "; Herald may or may not have acted on it", e, false, attempt);
                pause(attempt, e, false, method, path);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw transport(method, path, "was interrupted", e, false, attempt);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) return new Answer(status, response.body(), response.headers());

            Duration retryAfter = retryAfter(response.headers());
            HeraldProblemException problem = HeraldProblemException.of(problem(response), retryAfter, method, path);
            // 429 and 503 with Retry-After are Herald saying "nothing was done, come back then": safe for any call
            boolean retryable = safe ? RETRYABLE_IF_SAFE.contains(status) : (status == 429 || status == 503) && retryAfter != null;
            if (!retryable || attempt >= policy.maxAttempts() || retryAfter != null && retryAfter.compareTo(policy.maxRetryAfter()) > 0) {
                throw problem;
            }
            sleep(retryAfter != null ? retryAfter : policy.backoff(attempt, jitter()), problem, method, path, attempt);
        }
    }

    private void pause(int attempt, IOException cause, boolean timeout, String method, String path) {
        if (attempt >= policy.maxAttempts()) {
            throw transport(method, path, "failed after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + cause, cause, timeout,
                    attempt);
        }
        sleep(policy.backoff(attempt, jitter()), cause, method, path, attempt);
    }

    private void sleep(Duration delay, Exception last, String method, String path, int attempt) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HeraldTransportException t = transport(method, path, "was interrupted while waiting to retry", e, false, attempt);
            t.addSuppressed(last);
            throw t;
        }
    }

    private static HeraldTransportException transport(String method, String path, String what, Throwable cause, boolean timeout,
                                                      int attempts) {
        return new HeraldTransportException(method + " " + path + " " + what, cause, timeout, attempts);
    }

    /** The answer's problem+json, or a problem made from the status when the body is not one (e.g. a proxy's page). */
    private static Problem problem(HttpResponse<byte[]> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json") && r.body().length > 0) {
            try {
                JsonNode node = Json.tree(r.body());
                if (node != null && node.isObject()) return Json.problem(node, r.statusCode());
            } catch (IOException e) {
                // not JSON after all: fall through
            }
        }
        String text = new String(r.body(), StandardCharsets.UTF_8).strip();
        if (text.length() > 300) text = text.substring(0, 300) + "…";
        return new Problem("about:blank", "HTTP " + r.statusCode(), r.statusCode(), text.isEmpty() ? null : text, null, null);
    }

    // ThreadLocalRandom unless a test injected a generator: the JDK's default generators are not thread-safe
    private RandomGenerator jitter() {
        return random != null ? random : java.util.concurrent.ThreadLocalRandom.current();
    }

    /** Retry-After as seconds or as an HTTP date (RFC 9110); null when absent or unreadable. */
    Duration retryAfter(HttpHeaders headers) {
        String v = headers.firstValue("Retry-After").map(String::strip).orElse(null);
        if (v == null || v.isEmpty()) return null;
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return null; // absurdly long
            }
        }
        try {
            Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
