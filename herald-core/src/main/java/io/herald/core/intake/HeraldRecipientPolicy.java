package io.herald.core.intake;

import io.herald.core.dispatch.DispatchCheck.Verdict;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.preference.PreferencePolicy;
import io.herald.core.ratelimit.UserRateLimitPolicy;
import io.herald.core.user.UserProfile;

import java.time.Instant;

/**
 * Herald's recipient policy: the user's preferences and quiet hours, then the per-user rate limit.
 *
 * <ul>
 *   <li>At intake: preferences first, so a suppressed notification consumes no token; then one token is consumed
 *       (or reserved). When quiet hours and a reserved token both defer, the later instant wins.</li>
 *   <li>At dispatch ({@code atDispatch}): preferences and quiet hours only; the token was consumed at intake, and
 *       consuming again would count one notification twice.</li>
 *   <li>One-off sends ({@code user == null}): no preferences exist, so this policy lets them through. The per-address
 *       limit needs the address and app, which this interface does not carry: the intake applies it with
 *       {@link UserRateLimitPolicy#decideForAddress}.</li>
 * </ul>
 * Thread-safe.
 */
public final class HeraldRecipientPolicy implements RecipientPolicy {

    private final PreferencePolicy preferences;
    private final UserRateLimitPolicy limits;

    public HeraldRecipientPolicy(PreferencePolicy preferences, UserRateLimitPolicy limits) {
        this.preferences = preferences;
        this.limits = limits;
    }

    @Override
    public Verdict decide(UserProfile user, Channel channel, String category, Priority priority, Instant now, boolean atDispatch) {
        if (user == null) return Verdict.PROCEED;
        Verdict byPreference = preferences.decide(user, channel, category, priority, now);
        if (byPreference instanceof Verdict.Suppress || atDispatch) return byPreference;
        Verdict byLimit = limits.decide(user.appId(), user.userId(), channel, category, now);
        return switch (byLimit) {
            case Verdict.Suppress s -> s;
            case Verdict.Proceed p -> byPreference;
            case Verdict.Defer limitDefer -> byPreference instanceof Verdict.Defer quiet && quiet.until().isAfter(limitDefer.until())
                    ? quiet : limitDefer;
        };
    }
}
