package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 413. The request body is larger than the server's limit; split the batch. */
public class PayloadTooLargeException extends HeraldProblemException {

    public PayloadTooLargeException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
