package io.herald.core.model;

/** Machine-readable reason of a terminal status other than SENT or DELIVERED. A human detail goes with it. */
public enum Reason {
    OPTED_OUT, RATE_LIMITED, NO_RECIPIENT, INVALID_RECIPIENT, TEMPLATE_ERROR, TOKEN_UNREGISTERED, PROVIDER_REJECTED, PROVIDER_ERROR, RETRIES_EXHAUSTED, LOOKUP_FAILED, EXPIRED, CANCELLED
}
