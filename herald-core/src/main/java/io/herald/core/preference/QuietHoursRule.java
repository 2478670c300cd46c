package io.herald.core.preference;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.policy.Verdict;

import java.time.Instant;

/**
 * During the user's quiet hours NORMAL and LOW notifications wait for the end of the window (in the user's
 * timezone); HIGH (one-time codes, security alerts) goes at once. Applies to mandatory categories too:
 * quiet hours delay, they never drop. IN_APP is exempt: an inbox item makes no sound, and holding it back would only
 * leave the inbox stale when the user opens it.
 */
public final class QuietHoursRule implements PreferenceRule {

    @Override
    public RuleOutcome evaluate(PreferenceContext c) {
        QuietHours q = c.preferences().quietHours();
        if (q == null || c.priority() == Priority.HIGH || c.channel() == Channel.IN_APP) return RuleOutcome.CONTINUE;
        return q.endOfWindowContaining(c.now(), c.zone())
                .map(until -> RuleOutcome.decide(new Verdict.Defer(until, detail(q, c, until))))
                .orElse(RuleOutcome.CONTINUE);
    }

    private static String detail(QuietHours q, PreferenceContext c, Instant until) {
        return "user's quiet hours " + q + " " + c.zone().getId() + "; deferred until " + until.atZone(c.zone()).toOffsetDateTime();
    }

    @Override
    public boolean isOptOut() {
        return false;
    }
}
