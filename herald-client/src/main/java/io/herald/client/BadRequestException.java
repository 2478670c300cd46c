package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 400. The request was malformed (bad JSON, a bad query parameter, a string too long). */
public class BadRequestException extends HeraldProblemException {

    public BadRequestException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
