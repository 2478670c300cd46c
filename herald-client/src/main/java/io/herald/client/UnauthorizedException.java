package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 401. Missing or wrong appKey/appSecret. */
public class UnauthorizedException extends HeraldProblemException {

    public UnauthorizedException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
