package io.herald.postgres;

import io.herald.core.preference.Preferences;
import io.herald.core.preference.PreferencesDocument;

import java.util.Map;

/**
 * The preference document as JSON text (stored in users.preferences, shown by the API). The shape and its
 * validation are the core's {@link PreferencesDocument}; this only converts to and from text.
 */
public final class PreferencesJson {

    private PreferencesJson() {
    }

    @SuppressWarnings("unchecked")
    public static Preferences parse(String json) {
        if (json == null || json.isBlank()) return Preferences.NONE;
        return PreferencesDocument.parse(JsonCodec.MAPPER.readValue(json, Map.class));
    }

    public static String write(Preferences p) {
        return JsonCodec.MAPPER.writeValueAsString(PreferencesDocument.toMap(p));
    }
}
