package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.user.UserProfile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The intake decisions of many notifications (a batch, a fan-out page), in order, each exactly as {@link #decide}
     * (atDispatch false) or {@link #decideForAddress} would answer it, questions about the same bucket applied in list
     * order. Implementations override it to take all their rate-limit tokens in one round trip.
     */
    default List<Verdict> decideAll(List<Question> questions, Instant now) {
        List<Verdict> verdicts = new ArrayList<>(questions.size());
        for (Question q : questions)
            verdicts.add(q.user() != null
                    ? decide(q.user(), q.channel(), q.category(), q.priority(), now, false)
                    : decideForAddress(q.appId(), q.target(), q.category(), q.priority(), now));
        return verdicts;
    }

    /**
     * One intake question: a user's channel ({@code user} set, {@code target} null) or a one-off send's target
     * ({@code user} null; its channel is the target's).
     */
    record Question(long appId, UserProfile user, Target target, Channel channel, String category, Priority priority) {

        public static Question forUser(UserProfile user, Channel channel, String category, Priority priority) {
            return new Question(user.appId(), user, null, channel, category, priority);
        }

        public static Question forAddress(long appId, Target target, String category, Priority priority) {
            return new Question(appId, null, target, target.channel(), category, priority);
        }
    }
}
