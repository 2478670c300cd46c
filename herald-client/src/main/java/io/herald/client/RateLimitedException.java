package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 429. The app is over its API quota; {@link #retryAfter()} says when to come back. Sends are retried automatically before this is thrown. */
public class RateLimitedException extends HeraldProblemException {

    public RateLimitedException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
