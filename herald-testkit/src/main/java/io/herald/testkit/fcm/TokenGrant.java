package io.herald.testkit.fcm;

import tools.jackson.databind.JsonNode;

/** One successful OAuth2 JWT bearer grant: the verified assertion's header and claims. */
public record TokenGrant(JsonNode header, JsonNode claims) {
}
