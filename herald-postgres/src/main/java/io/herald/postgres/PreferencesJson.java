package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.preference.Preferences;
import io.herald.core.preference.QuietHours;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.LocalTime;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The preference document as stored and as the API shows it:
 * {@code {channels: {PUSH: true}, categories: {marketing: {EMAIL: false}}, quietHours: {start, end}, unsubscribedAll}}.
 */
public final class PreferencesJson {

    private PreferencesJson() {
    }

    public static Preferences parse(String json) {
        if (json == null || json.isBlank()) return Preferences.NONE;
        JsonNode n = JsonCodec.MAPPER.readTree(json);
        Map<Channel, Boolean> channels = switches(n.get("channels"));
        Map<String, Map<Channel, Boolean>> categories = new LinkedHashMap<>();
        if (n.has("categories")) n.get("categories").properties().forEach(e -> categories.put(e.getKey(), switches(e.getValue())));
        QuietHours quiet = null;
        JsonNode q = n.get("quietHours");
        if (q != null && !q.isNull()) quiet = new QuietHours(LocalTime.parse(q.get("start").asString()), LocalTime.parse(q.get("end").asString()));
        boolean all = n.has("unsubscribedAll") && n.get("unsubscribedAll").asBoolean();
        return new Preferences(channels, categories, quiet, all);
    }

    public static String write(Preferences p) {
        ObjectNode n = JsonCodec.MAPPER.createObjectNode();
        ObjectNode ch = n.putObject("channels");
        p.channels().forEach((k, v) -> ch.put(k.name(), v));
        ObjectNode cats = n.putObject("categories");
        p.categories().forEach((cat, m) -> {
            ObjectNode c = cats.putObject(cat);
            m.forEach((k, v) -> c.put(k.name(), v));
        });
        if (p.quietHours() != null) {
            n.putObject("quietHours").put("start", p.quietHours().start().toString()).put("end", p.quietHours().end().toString());
        } else {
            n.putNull("quietHours");
        }
        n.put("unsubscribedAll", p.unsubscribedAll());
        return n.toString();
    }

    private static Map<Channel, Boolean> switches(JsonNode n) {
        Map<Channel, Boolean> m = new EnumMap<>(Channel.class);
        if (n != null && !n.isNull()) n.properties().forEach(e -> m.put(Channel.valueOf(e.getKey()), e.getValue().asBoolean()));
        return m;
    }
}
