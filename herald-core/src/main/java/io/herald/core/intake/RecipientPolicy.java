package io.herald.core.intake;

import io.herald.core.dispatch.DispatchCheck.Verdict;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.user.UserProfile;

import java.time.Instant;

/**
 * Whether one notification to one user may go out now: preferences, quiet hours, per-user rate limits.
 * Asked at intake for every notification, and again at dispatch for those that waited (scheduled or
 * deferred), because the user may have changed their mind in between.
 */
public interface RecipientPolicy {

    RecipientPolicy ALLOW_ALL = (user, channel, category, priority, now, atDispatch) -> Verdict.PROCEED;

    /**
     * @param user       null for one-off sends to a raw address (no preferences apply)
     * @param atDispatch true when asked again just before sending (rate limits were already consumed at intake)
     */
    Verdict decide(UserProfile user, Channel channel, String category, Priority priority, Instant now, boolean atDispatch);
}
