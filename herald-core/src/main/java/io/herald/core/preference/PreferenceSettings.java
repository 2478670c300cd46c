package io.herald.core.preference;

import io.herald.core.model.Channel;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Operator configuration of preference evaluation. The server builds it from configuration; {@link #defaults()}
 * is what applies when nothing is configured.
 *
 * @param categories      known categories by name
 * @param unknownCategory how a category missing from {@code categories} (or a send without one) is treated
 * @param defaultZone     the timezone for quiet hours of users who have none
 */
public record PreferenceSettings(Map<String, CategoryConfig> categories, CategoryConfig unknownCategory, ZoneId defaultZone) {

    public PreferenceSettings {
        categories = Map.copyOf(categories);
        Objects.requireNonNull(unknownCategory, "unknownCategory");
        if (unknownCategory.optIn()) throw new IllegalArgumentException("unknown categories cannot be opt-in: nothing would reach anyone");
        defaultZone = defaultZone == null ? ZoneOffset.UTC : defaultZone;
        categories.forEach((k, v) -> {
            if (!k.equals(v.name())) throw new IllegalArgumentException("category key " + k + " names config " + v.name());
        });
    }

    /**
     * transactional: cannot be opted out of on any channel (receipts, order updates);
     * security: cannot be opted out of on EMAIL (the one channel that must always reach the account owner),
     * optional elsewhere; marketing: opt-in on every channel; social: opt-out; anything else: opt-out; UTC.
     */
    public static PreferenceSettings defaults() {
        return of(List.of(CategoryConfig.mandatory("transactional"),
                CategoryConfig.mandatory("security", Channel.EMAIL),
                CategoryConfig.optIn("marketing"),
                CategoryConfig.optOut("social")), CategoryConfig.optOut("other"), ZoneOffset.UTC);
    }

    public static PreferenceSettings of(List<CategoryConfig> categories, CategoryConfig unknownCategory, ZoneId defaultZone) {
        Map<String, CategoryConfig> byName = new LinkedHashMap<>();
        for (CategoryConfig c : categories) {
            if (byName.put(c.name(), c) != null) throw new IllegalArgumentException("category " + c.name() + " configured twice");
        }
        return new PreferenceSettings(byName, unknownCategory, defaultZone);
    }

    /** The configuration of {@code category}, the unknown-category one when it is null or not configured. */
    public CategoryConfig category(String category) {
        return category == null ? unknownCategory : categories.getOrDefault(category, unknownCategory);
    }
}
