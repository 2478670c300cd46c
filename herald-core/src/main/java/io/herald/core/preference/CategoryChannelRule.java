package io.herald.core.preference;

import io.herald.core.model.Channel;

import java.util.Map;

/** The user switched this category off on this channel ({@code categories: {marketing: {EMAIL: false}}}). */
public final class CategoryChannelRule implements PreferenceRule {

    @Override
    public RuleOutcome evaluate(PreferenceContext c) {
        if (c.category() == null) return RuleOutcome.CONTINUE;
        Map<Channel, Boolean> switches = c.preferences().categories().getOrDefault(c.category(), Map.of());
        return Boolean.FALSE.equals(switches.get(c.channel()))
                ? OptedOut.because("user opted out of " + c.category() + " on " + c.channel())
                : RuleOutcome.CONTINUE; // "true" is consent, read by CategoryDefaultRule; it does not override a channel switch
    }
}
