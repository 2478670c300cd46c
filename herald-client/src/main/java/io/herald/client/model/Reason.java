package io.herald.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Machine-readable reason of a terminal status other than SENT or DELIVERED; a human {@code detail} goes with it. */
public enum Reason {
    OPTED_OUT, RATE_LIMITED, NO_RECIPIENT, INVALID_RECIPIENT, TEMPLATE_ERROR, TOKEN_UNREGISTERED, PROVIDER_REJECTED, PROVIDER_ERROR, RETRIES_EXHAUSTED, LOOKUP_FAILED, EXPIRED, CANCELLED,
    /** A reason this version of the client does not know yet (the server is newer). */
    @JsonEnumDefaultValue
    UNKNOWN
}
