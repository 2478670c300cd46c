package io.herald.core.preference;

import io.herald.core.model.Channel;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How one notification category treats users' choices.
 *
 * @param name        as sends name it ({@code marketing})
 * @param optIn       true when a user gets nothing of this category on a channel until they switch it on there
 *                    (marketing: consent first); false when everything goes until they switch it off
 * @param mandatoryOn channels on which users cannot opt out of this category at all (their switches, global
 *                    unsubscribe and the opt-in default are ignored there); quiet hours still apply below HIGH
 */
public record CategoryConfig(String name, boolean optIn, Set<Channel> mandatoryOn) {

    public CategoryConfig {
        Objects.requireNonNull(name, "name");
        if (optIn && mandatoryOn != null && !mandatoryOn.isEmpty()) {
            throw new IllegalArgumentException("category " + name + " cannot be both opt-in and mandatory");
        }
        mandatoryOn = mandatoryOn == null || mandatoryOn.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(mandatoryOn));
    }

    /** Everything goes until the user opts out. */
    public static CategoryConfig optOut(String name) {
        return new CategoryConfig(name, false, Set.of());
    }

    /** Nothing goes until the user opts in on that channel. */
    public static CategoryConfig optIn(String name) {
        return new CategoryConfig(name, true, Set.of());
    }

    /** Cannot be opted out of on the given channels (all channels when none are given). */
    public static CategoryConfig mandatory(String name, Channel... on) {
        return new CategoryConfig(name, false, on.length == 0 ? EnumSet.allOf(Channel.class) : EnumSet.of(on[0], on));
    }
}
