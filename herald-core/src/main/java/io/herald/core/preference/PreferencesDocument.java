package io.herald.core.preference;

import io.herald.core.model.Channel;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON shape of preferences in the API, as a plain map (what a JSON library binds an object to):
 * <pre>{@code
 * {"channels": {"PUSH": true, "SMS": false},
 *  "categories": {"marketing": {"EMAIL": false}},
 *  "quietHours": {"start": "22:00", "end": "08:00"},
 *  "unsubscribedAll": false}
 * }</pre>
 * Every field is optional; unknown top-level fields are ignored, as everywhere in the API. Values inside are
 * checked strictly, because a misspelt channel silently ignored would leave the user receiving what they refused.
 */
public final class PreferencesDocument {

    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String CHANNEL_NAMES = String.join(", ", Arrays.stream(Channel.values()).map(Enum::name).toList());

    private PreferencesDocument() {
    }

    /**
     * @throws InvalidPreferencesException naming every bad field: unknown channel, non-boolean switch, bad category
     *                                     name, malformed or empty quiet hours
     */
    public static Preferences parse(Map<String, ?> document) {
        List<PreferenceProblem> problems = new ArrayList<>();
        Map<Channel, Boolean> channels = switches(document.get("channels"), "channels", problems);
        Map<String, Map<Channel, Boolean>> categories = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : object(document.get("categories"), "categories", problems).entrySet()) {
            String path = "categories." + e.getKey();
            if (!CATEGORY.matcher(e.getKey()).matches()) {
                problems.add(
                        new PreferenceProblem(path, "'" + e.getKey() + "' is not a category name: 1-64 letters, digits, '_', '.' or '-'"));
            } else {
                categories.put(e.getKey(), switches(e.getValue(), path, problems));
            }
        }
        QuietHours quiet = quietHours(document.get("quietHours"), problems);
        Object all = document.get("unsubscribedAll");
        if (all != null && !(all instanceof Boolean)) problems.add(new PreferenceProblem("unsubscribedAll", "must be true or false"));
        if (!problems.isEmpty()) throw new InvalidPreferencesException(problems);
        return new Preferences(channels, categories, quiet, Boolean.TRUE.equals(all));
    }

    /** The API's JSON shape of {@code preferences}, ready for a JSON library to write. */
    public static Map<String, Object> toMap(Preferences preferences) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("channels", byName(preferences.channels()));
        Map<String, Object> categories = new LinkedHashMap<>();
        preferences.categories().forEach((k, v) -> categories.put(k, byName(v)));
        doc.put("categories", categories);
        QuietHours q = preferences.quietHours();
        doc.put("quietHours", q == null ? null : Map.of("start", q.start().toString(), "end", q.end().toString()));
        doc.put("unsubscribedAll", preferences.unsubscribedAll());
        return doc;
    }

    /** The channel of that API name, or an exception whose message lists the valid names. */
    public static Channel channel(String name, String field) {
        try {
            return Channel.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidPreferencesException(List.of(unknownChannel(name, field)));
        }
    }

    private static PreferenceProblem unknownChannel(String name, String field) {
        return new PreferenceProblem(field, "unknown channel '" + name + "'; expected one of " + CHANNEL_NAMES);
    }

    private static Map<Channel, Boolean> switches(Object raw, String path, List<PreferenceProblem> problems) {
        Map<Channel, Boolean> out = new EnumMap<>(Channel.class);
        for (Map.Entry<String, ?> e : object(raw, path, problems).entrySet()) {
            String field = path + "." + e.getKey();
            Channel channel;
            try {
                channel = Channel.valueOf(e.getKey());
            } catch (IllegalArgumentException ex) {
                problems.add(unknownChannel(e.getKey(), field));
                continue;
            }
            if (e.getValue() instanceof Boolean b) out.put(channel, b);
            else
                problems.add(new PreferenceProblem(field, "must be true or false"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> object(Object raw, String path, List<PreferenceProblem> problems) {
        if (raw == null) return Map.of();
        if (raw instanceof Map<?, ?> m && m.keySet().stream().allMatch(String.class::isInstance)) return (Map<String, ?>) m;
        problems.add(new PreferenceProblem(path, "must be an object"));
        return Map.of();
    }

    private static QuietHours quietHours(Object raw, List<PreferenceProblem> problems) {
        if (raw == null) return null;
        Map<String, ?> q = object(raw, "quietHours", problems);
        if (q.isEmpty()) return null;
        LocalTime start = time(q.get("start"), "quietHours.start", problems);
        LocalTime end = time(q.get("end"), "quietHours.end", problems);
        if (start == null || end == null) return null;
        if (start.equals(end)) {
            problems.add(new PreferenceProblem("quietHours",
                    "start and end are both " + start + ", an empty window; omit quietHours to have none"));
            return null;
        }
        return new QuietHours(start, end);
    }

    private static LocalTime time(Object raw, String field, List<PreferenceProblem> problems) {
        if (raw instanceof String s) {
            try {
                return LocalTime.parse(s);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        problems.add(new PreferenceProblem(field,
                raw == null ? "is required, as HH:mm (22:00)" : "'" + raw + "' is not a time as HH:mm (22:00)"));
        return null;
    }

    private static Map<String, Boolean> byName(Map<Channel, Boolean> switches) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        switches.forEach((c, v) -> out.put(c.name(), v));
        return out;
    }
}
