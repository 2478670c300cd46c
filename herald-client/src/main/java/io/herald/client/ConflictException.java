package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 409. The call conflicts with the current state, e.g. cancelling a notification that is already sending or done. */
public class ConflictException extends HeraldProblemException {

    public ConflictException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
