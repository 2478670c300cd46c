package io.herald.core.ratelimit;

/** What happens to a notification over its limit. */
public enum LimitAction {
    /** Suppressed with reason RATE_LIMITED: for messages that are worthless late or abusive in bulk (marketing, codes). */
    DROP,
    /** Held until a token frees up (a token is reserved for it, so held messages still go out at the limit's pace). */
    DEFER
}
