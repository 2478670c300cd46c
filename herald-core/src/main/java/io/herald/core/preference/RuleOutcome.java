package io.herald.core.preference;

import io.herald.core.policy.Verdict;

/** What one {@link PreferenceRule} says about a {@link PreferenceContext}. */
public sealed interface RuleOutcome {

    /** No opinion: ask the next rule. */
    RuleOutcome CONTINUE = new Continue();

    static RuleOutcome decide(Verdict verdict) {
        return new Decide(verdict);
    }

    static RuleOutcome exempt(String why) {
        return new Exempt(why);
    }

    record Continue() implements RuleOutcome {
    }

    /** Final: the chain stops with this verdict. */
    record Decide(Verdict verdict) implements RuleOutcome {
    }

    /**
     * The notification cannot be opted out of: later rules that are {@linkplain PreferenceRule#isOptOut() opt-outs}
     * are skipped; the others (quiet hours) still run.
     */
    record Exempt(String why) implements RuleOutcome {
    }
}
