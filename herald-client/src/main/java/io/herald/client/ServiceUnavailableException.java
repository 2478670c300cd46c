package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 503. Herald cannot serve the call now (e.g. its database is down) and stored nothing; {@link #retryAfter()} says when to retry. Sends are retried automatically before this is thrown. */
public class ServiceUnavailableException extends HeraldProblemException {

    public ServiceUnavailableException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
