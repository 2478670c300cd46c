package io.herald.core.preference;

import io.herald.core.model.Channel;

import java.util.Map;

/** Opt-in categories (marketing by default) reach a user on a channel only after they switched it on there. */
public final class CategoryDefaultRule implements PreferenceRule {

    @Override
    public RuleOutcome evaluate(PreferenceContext c) {
        if (!c.config().optIn()) return RuleOutcome.CONTINUE;
        Map<Channel, Boolean> switches = c.category() == null
                ? Map.of()
                : c.preferences().categories().getOrDefault(c.category(), Map.of());
        return Boolean.TRUE.equals(switches.get(c.channel()))
                ? RuleOutcome.CONTINUE
                : OptedOut.because(c.categoryLabel() + " is opt-in and the user has not opted in on " + c.channel());
    }
}
