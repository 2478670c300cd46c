package io.herald.core.preference;

/**
 * One rule of the preference chain run by {@link PreferencePolicy}. Rules are pure, stateless and thread-safe;
 * each looks at one kind of choice and either decides, exempts, or passes on.
 */
public interface PreferenceRule {

    RuleOutcome evaluate(PreferenceContext context);

    /**
     * True when this rule enforces an opt-out, which a mandatory category overrides (see {@link RuleOutcome.Exempt}).
     * Timing rules such as quiet hours are not opt-outs.
     */
    default boolean isOptOut() {
        return true;
    }

    /** Name in logs and tests. */
    default String name() {
        return getClass().getSimpleName();
    }
}
