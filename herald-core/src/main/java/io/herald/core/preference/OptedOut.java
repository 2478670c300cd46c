package io.herald.core.preference;

import io.herald.core.model.Reason;
import io.herald.core.policy.Verdict;

/** The verdict of every opt-out rule: suppressed with reason OPTED_OUT and a detail a person can read. */
final class OptedOut {

    private OptedOut() {
    }

    static RuleOutcome because(String detail) {
        return RuleOutcome.decide(new Verdict.Suppress(Reason.OPTED_OUT, detail));
    }
}
