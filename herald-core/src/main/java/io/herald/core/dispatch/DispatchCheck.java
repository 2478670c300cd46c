package io.herald.core.dispatch;

import io.herald.core.policy.Verdict;
import io.herald.core.queue.ClaimedDelivery;

import java.time.Instant;
import java.util.List;

/**
 * A last look just before sending, for what may have changed since intake (preferences changed while
 * a notification was scheduled, quiet hours started). The default lets everything through.
 */
public interface DispatchCheck {

    DispatchCheck ALLOW_ALL = (d, now) -> Verdict.PROCEED;

    Verdict check(ClaimedDelivery delivery, Instant now);

    /**
     * Called with each claimed batch before its checks run: a check that reads per delivery (the user, after a backlog)
     * loads what the batch needs in one round trip here, instead of one per delivery. Best effort: the checks must
     * still work when it did nothing or failed.
     */
    default void prepare(List<ClaimedDelivery> batch, Instant now) {
    }
}
