package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.user.UserProfile;

import java.time.Instant;

/**
 * Whether one notification may go out now. For a user: preferences, quiet hours, per-user rate limits, asked at
 * intake for every notification, and again at dispatch for those that waited (scheduled or deferred), because the
 * user may have changed their mind in between. For a one-off send to a raw address: per-address rate limits only,
 * asked once at intake.
 */
public interface RecipientPolicy {

    RecipientPolicy ALLOW_ALL = (user, channel, category, priority, now, atDispatch) -> Verdict.PROCEED;

    /**
     * @param user       the recipient, never null (one-off sends are asked {@link #decideForAddress} instead)
     * @param atDispatch true when asked again just before sending (rate limits were already consumed at intake)
     */
    Verdict decide(UserProfile user, Channel channel, String category, Priority priority, Instant now, boolean atDispatch);

    /**
     * A one-off send to {@code target} (its channel is {@code target.channel()}). Asked once per target at intake
     * only, so an implementation may consume a rate-limit token: there is no user, hence no preferences to re-check
     * at dispatch. The default lets everything through.
     */
    default Verdict decideForAddress(long appId, Target target, String category, Priority priority, Instant now) {
        return Verdict.PROCEED;
    }
}
