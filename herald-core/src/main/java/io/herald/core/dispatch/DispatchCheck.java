package io.herald.core.dispatch;

import io.herald.core.policy.Verdict;
import io.herald.core.queue.ClaimedDelivery;

import java.time.Instant;

/**
 * A last look just before sending, for what may have changed since intake (preferences changed while
 * a notification was scheduled, quiet hours started). The default lets everything through.
 */
public interface DispatchCheck {

    DispatchCheck ALLOW_ALL = (d, now) -> Verdict.PROCEED;

    Verdict check(ClaimedDelivery delivery, Instant now);
}
