package io.herald.core.preference;

/** Categories that cannot be opted out of on a channel (transactional everywhere, security on EMAIL by default). */
public final class MandatoryCategoryRule implements PreferenceRule {

    @Override
    public RuleOutcome evaluate(PreferenceContext c) {
        return c.config().mandatoryOn().contains(c.channel())
                ? RuleOutcome.exempt(c.categoryLabel() + " cannot be opted out of on " + c.channel())
                : RuleOutcome.CONTINUE;
    }

    @Override
    public boolean isOptOut() {
        return false;
    }
}
