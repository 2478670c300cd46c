package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 403. The app acted outside its scopes. */
public class ForbiddenException extends HeraldProblemException {

    public ForbiddenException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
