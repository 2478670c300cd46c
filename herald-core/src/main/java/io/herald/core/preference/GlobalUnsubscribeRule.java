package io.herald.core.preference;

/** The user unsubscribed from everything ({@code unsubscribedAll}). */
public final class GlobalUnsubscribeRule implements PreferenceRule {

    @Override
    public RuleOutcome evaluate(PreferenceContext c) {
        return c.preferences().unsubscribedAll()
                ? OptedOut.because("user unsubscribed from all notifications")
                : RuleOutcome.CONTINUE;
    }
}
