package io.herald.core.preference;

/** The user switched a whole channel off ({@code channels: {SMS: false}}). */
public final class ChannelRule implements PreferenceRule {

    @Override
    public RuleOutcome evaluate(PreferenceContext c) {
        return Boolean.FALSE.equals(c.preferences().channels().get(c.channel()))
                ? OptedOut.because("user turned off " + c.channel())
                : RuleOutcome.CONTINUE;
    }
}
