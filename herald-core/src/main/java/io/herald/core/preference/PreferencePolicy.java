package io.herald.core.preference;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.policy.Verdict;

import java.time.Instant;
import java.util.List;

/**
 * Runs the preference rules in order and returns the first decision, or PROCEED. A rule that
 * {@linkplain RuleOutcome.Exempt exempts} the notification (a mandatory category) makes the chain skip the
 * opt-out rules after it, which is why mandatory rules come first. Thread-safe.
 */
public final class PreferencePolicy {

    private final PreferenceSettings settings;
    private final List<PreferenceRule> rules;

    public PreferencePolicy(PreferenceSettings settings, List<PreferenceRule> rules) {
        this.settings = settings;
        this.rules = List.copyOf(rules);
    }

    /**
     * The standard chain: mandatory categories, global unsubscribe, category-per-channel switches, channel switches,
     * opt-in defaults, quiet hours.
     */
    public static PreferencePolicy standard(PreferenceSettings settings) {
        return new PreferencePolicy(settings, List.of(new MandatoryCategoryRule(), new GlobalUnsubscribeRule(),
                new CategoryChannelRule(), new ChannelRule(), new CategoryDefaultRule(), new QuietHoursRule()));
    }

    public List<PreferenceRule> rules() {
        return rules;
    }

    /**
     * @return PROCEED, Suppress(OPTED_OUT, which rule and what choice), or Defer(end of quiet hours)
     */
    public Verdict decide(PreferenceHolder user, Channel channel, String category, Priority priority, Instant now) {
        PreferenceContext context = new PreferenceContext(user.preferences(), channel, category,
                settings.category(category), priority == null ? Priority.NORMAL : priority, now,
                user.timezone() != null ? user.timezone() : settings.defaultZone());
        return decide(context);
    }

    public Verdict decide(PreferenceContext context) {
        boolean exempt = false;
        for (PreferenceRule rule : rules) {
            if (exempt && rule.isOptOut()) continue;
            switch (rule.evaluate(context)) {
                case RuleOutcome.Decide d -> {
                    return d.verdict();
                }
                case RuleOutcome.Exempt e -> exempt = true;
                case RuleOutcome.Continue c -> {
                    /* next rule */ }
            }
        }
        return Verdict.PROCEED;
    }
}
