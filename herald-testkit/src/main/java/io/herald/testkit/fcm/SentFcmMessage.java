package io.herald.testkit.fcm;

import tools.jackson.databind.JsonNode;

/**
 * One {@code messages:send} request that passed authentication, whatever the fake answered.
 *
 * @param accessToken the bearer token it carried
 * @param body        the whole JSON body; {@link #message()} is its {@code message} object
 * @param status      the HTTP status the fake answered
 */
public record SentFcmMessage(String accessToken, JsonNode body, int status) {

    public JsonNode message() {
        return body.path("message");
    }
}
