package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.preference.PreferencePolicy;
import io.herald.core.ratelimit.UserRateLimitPolicy;
import io.herald.core.user.UserProfile;

import java.time.Instant;

/**
 * Herald's recipient policy: the user's preferences and quiet hours, then the per-user rate limit; for one-off sends,
 * the per-address rate limit.
 *
 * <ul>
 *   <li>At intake: preferences first, so a suppressed notification consumes no token; then one token is consumed
 *       (or reserved). When quiet hours and a reserved token both defer, the later instant wins.</li>
 *   <li>At dispatch ({@code atDispatch}): preferences and quiet hours only; the token was consumed at intake, and
 *       consuming again would count one notification twice.</li>
 *   <li>One-off sends ({@link #decideForAddress}): no preferences exist, so only the per-address limit applies, with
 *       the same category limits and actions as per user. The limiter sees only a hash of the address.</li>
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

    @Override
    public Verdict decideForAddress(long appId, Target target, String category, Priority priority, Instant now) {
        // Grace@Example.com and grace@example.com reach the same mailbox: one bucket, or case variations bypass it
        String address = target instanceof Target.Email e ? e.address().toLowerCase(java.util.Locale.ROOT) : target.address();
        return limits.decideForAddress(appId, address, target.channel(), category, now);
    }
}
