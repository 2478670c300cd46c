package io.herald.core.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The limit of one category, per user (or one-off address), per channel.
 *
 * @param maxDefer for DEFER: the longest a notification may be held; beyond it, it is dropped all the same, so a
 *                 flood cannot build an unbounded backlog. Zero for DROP.
 */
public record CategoryLimit(Limit limit, LimitAction action, Duration maxDefer) {

    public CategoryLimit {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(action, "action");
        maxDefer = action == LimitAction.DROP || maxDefer == null ? Duration.ZERO : maxDefer;
        if (action == LimitAction.DEFER && (maxDefer.isZero() || maxDefer.isNegative())) {
            throw new IllegalArgumentException("a DEFER limit needs a positive maxDefer");
        }
    }

    public static CategoryLimit drop(Limit limit) {
        return new CategoryLimit(limit, LimitAction.DROP, Duration.ZERO);
    }

    public static CategoryLimit defer(Limit limit, Duration maxDefer) {
        return new CategoryLimit(limit, LimitAction.DEFER, maxDefer);
    }
}
