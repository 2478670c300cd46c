package io.herald.core.engagement;

import io.herald.core.intake.RecipientPolicy;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.user.UserProfile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The suppression list before any other rule: an address that bounced hard or complained ends SUPPRESSED with
 * INVALID_RECIPIENT, for users and one-off sends alike, at intake and again at dispatch for what waited.
 */
public final class SuppressionListPolicy implements RecipientPolicy {

    private final RecipientPolicy next;
    private final SuppressionList list;

    public SuppressionListPolicy(RecipientPolicy next, SuppressionList list) {
        this.next = next;
        this.list = list;
    }

    @Override
    public Verdict decide(UserProfile user, Channel channel, String category, Priority priority, Instant now, boolean atDispatch) {
        if (channel == Channel.EMAIL && user.email() != null && list.isSuppressed(user.appId(), user.email())) return suppressed();
        return next.decide(user, channel, category, priority, now, atDispatch);
    }

    @Override
    public Verdict decideForAddress(long appId, Target target, String category, Priority priority, Instant now) {
        if (target instanceof Target.Email e && list.isSuppressed(appId, e.address())) return suppressed();
        return next.decideForAddress(appId, target, category, priority, now);
    }

    @Override
    public List<Verdict> decideAll(List<Question> questions, Instant now) {
        // the suppressed ones are answered here; the others go to the next policy together, in their order
        Verdict[] verdicts = new Verdict[questions.size()];
        List<Question> rest = new ArrayList<>(questions.size());
        List<Integer> slots = new ArrayList<>(questions.size());
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.get(i);
            boolean listed = q.user() != null
                    ? q.channel() == Channel.EMAIL && q.user().email() != null && list.isSuppressed(q.appId(), q.user().email())
                    : q.target() instanceof Target.Email e && list.isSuppressed(q.appId(), e.address());
            if (listed) {
                verdicts[i] = suppressed();
            } else {
                rest.add(q);
                slots.add(i);
            }
        }
        List<Verdict> decided = rest.isEmpty() ? List.of() : next.decideAll(rest, now);
        for (int k = 0; k < decided.size(); k++) verdicts[slots.get(k)] = decided.get(k);
        return List.of(verdicts);
    }

    private static Verdict suppressed() {
        return new Verdict.Suppress(Reason.INVALID_RECIPIENT, "the address is on the app's suppression list (hard bounce or complaint)");
    }
}
