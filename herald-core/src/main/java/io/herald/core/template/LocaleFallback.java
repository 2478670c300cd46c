package io.herald.core.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Locale tags as templates use them, and the fallback chain {@code ko-KR -> ko -> default}. */
public final class LocaleFallback {

    private LocaleFallback() {
    }

    /**
     * The canonical BCP 47 form of a tag ({@code ko_kr} and {@code ko-kr} become {@code ko-KR}), {@code default}
     * for {@code default}, or null when the tag is not a well-formed locale.
     */
    public static String canonical(String tag) {
        if (tag == null || tag.isBlank()) return null;
        if (tag.equalsIgnoreCase(TemplateDefinition.DEFAULT_LOCALE)) return TemplateDefinition.DEFAULT_LOCALE;
        String dashed = tag.trim().replace('_', '-');
        String canonical = Locale.forLanguageTag(dashed).toLanguageTag();
        // forLanguageTag drops what it cannot parse; a tag that does not survive whole was not well formed
        return canonical.equals("und") || !canonical.equalsIgnoreCase(dashed) ? null : canonical;
    }

    /**
     * Locales to try for a requested one, most specific first, always ending in {@code default}:
     * {@code zh-Hant-TW -> zh-Hant -> zh -> default}. A null or malformed request gives just {@code default}.
     */
    public static List<String> chain(String requested) {
        List<String> chain = new ArrayList<>(4);
        String tag = canonical(requested);
        if (tag != null && !tag.equals(TemplateDefinition.DEFAULT_LOCALE)) {
            for (String t = tag; !t.isEmpty(); t = t.contains("-") ? t.substring(0, t.lastIndexOf('-')) : "") {
                chain.add(t);
            }
        }
        chain.add(TemplateDefinition.DEFAULT_LOCALE);
        return chain;
    }
}
