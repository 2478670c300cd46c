package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.preference.PreferencePolicy;
import io.herald.core.ratelimit.UserRateLimitPolicy;
import io.herald.core.user.UserProfile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        return combine(byPreference, limits.decide(user.appId(), user.userId(), channel, category, now));
    }

    @Override
    public Verdict decideForAddress(long appId, Target target, String category, Priority priority, Instant now) {
        return limits.decideForAddress(appId, address(target), target.channel(), category, now);
    }

    @Override
    public List<Verdict> decideAll(List<Question> questions, Instant now) {
        // preferences per question; the tokens of all that were not suppressed in one limiter call
        Verdict[] verdicts = new Verdict[questions.size()];
        List<UserRateLimitPolicy.Ask> asks = new ArrayList<>(questions.size());
        List<Integer> slots = new ArrayList<>(questions.size());
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.get(i);
            if (q.user() != null) {
                verdicts[i] = preferences.decide(q.user(), q.channel(), q.category(), q.priority(), now);
                if (verdicts[i] instanceof Verdict.Suppress) continue;
                asks.add(UserRateLimitPolicy.Ask.forUser(q.appId(), q.user().userId(), q.channel(), q.category()));
            } else {
                verdicts[i] = Verdict.PROCEED;
                asks.add(UserRateLimitPolicy.Ask.forAddress(q.appId(), address(q.target()), q.target().channel(), q.category()));
            }
            slots.add(i);
        }
        List<Verdict> byLimit = limits.decideAll(asks, now);
        for (int k = 0; k < byLimit.size(); k++) verdicts[slots.get(k)] = combine(verdicts[slots.get(k)], byLimit.get(k));
        return List.of(verdicts);
    }

    /** When quiet hours and a reserved token both defer, the later instant wins. */
    private static Verdict combine(Verdict byPreference, Verdict byLimit) {
        return switch (byLimit) {
            case Verdict.Suppress s -> s;
            case Verdict.Proceed p -> byPreference;
            case Verdict.Defer limitDefer -> byPreference instanceof Verdict.Defer quiet && quiet.until().isAfter(limitDefer.until())
                    ? quiet
                    : limitDefer;
        };
    }

    private static String address(Target target) {
        // Grace@Example.com and grace@example.com reach the same mailbox: one bucket, or case variations bypass it
        return target instanceof Target.Email e ? e.address().toLowerCase(java.util.Locale.ROOT) : target.address();
    }
}
