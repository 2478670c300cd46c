package io.herald.client;

import io.herald.client.model.Problem;

import java.time.Duration;

/** HTTP 404. The user, device or notification does not exist for the calling app. */
public class NotFoundException extends HeraldProblemException {

    public NotFoundException(Problem problem, Duration retryAfter, String method, String path) {
        super(problem, retryAfter, method, path);
    }
}
