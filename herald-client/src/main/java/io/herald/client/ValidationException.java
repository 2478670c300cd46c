package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 422. The request is well-formed but invalid; {@link #errors()} names each invalid field. Nothing was stored. */
public class ValidationException extends HeraldProblemException {

    public ValidationException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
