package io.herald.postgres;

import io.herald.core.audience.Audience;
import io.herald.core.intake.SendRequest;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The stored form of a broadcast's audience and of its send (a send with no recipient). */
final class BroadcastJson {

    private BroadcastJson() {
    }

    static String audience(Audience a) {
        ObjectNode n = JsonCodec.MAPPER.createObjectNode();
        switch (a) {
            case Audience.All all -> n.put("all", true);
            case Audience.OfTopic t -> n.put("topic", t.key());
            case Audience.Filter f -> {
                ObjectNode filter = n.putObject("filter");
                if (f.locale() != null) filter.put("locale", f.locale());
                if (f.timezone() != null) filter.put("timezone", f.timezone());
                if (!f.attributes().isEmpty()) filter.set("attributes", JsonCodec.MAPPER.valueToTree(f.attributes()));
            }
        }
        return n.toString();
    }

    @SuppressWarnings("unchecked")
    static Audience audience(String json) {
        JsonNode n = JsonCodec.MAPPER.readTree(json);
        if (n.has("topic")) return new Audience.OfTopic(n.get("topic").asString());
        if (n.has("filter")) {
            JsonNode f = n.get("filter");
            Map<String, Object> attrs = f.has("attributes") ? JsonCodec.MAPPER.treeToValue(f.get("attributes"), Map.class) : Map.of();
            return new Audience.Filter(text(f, "locale"), text(f, "timezone"), attrs);
        }
        return new Audience.All();
    }

    /** The attributes a filter asks for, as the JSON a containment test (@>) takes. */
    static String attributes(Audience.Filter f) {
        return JsonCodec.MAPPER.valueToTree(f.attributes()).toString();
    }

    static String send(SendRequest r) {
        ObjectNode n = JsonCodec.MAPPER.createObjectNode().put("eventId", r.eventId());
        if (r.channels() != null) {
            var arr = n.putArray("channels");
            r.channels().stream().sorted().forEach(c -> arr.add(c.name()));
        }
        if (r.templateKey() != null) n.put("template", r.templateKey());
        if (r.templateVersion() != null) n.put("templateVersion", r.templateVersion());
        if (!r.data().isEmpty()) n.set("data", JsonCodec.MAPPER.valueToTree(r.data()));
        if (r.locale() != null) n.put("locale", r.locale());
        if (r.content() != null) n.set("content", JsonCodec.MAPPER.readTree(JsonCodec.content(r.content())));
        if (r.category() != null) n.put("category", r.category());
        n.put("priority", r.priority().name());
        if (r.sendAt() != null) n.put("sendAt", r.sendAt().toString());
        if (r.expiresAt() != null) n.put("expiresAt", r.expiresAt().toString());
        if (r.deliverAt() != null) {
            ObjectNode d = n.putObject("deliverAt").put("localTime", r.deliverAt().localTime().toString());
            if (r.deliverAt().date() != null) d.put("date", r.deliverAt().date().toString());
        }
        return n.toString();
    }

    @SuppressWarnings("unchecked")
    static SendRequest send(String json) {
        JsonNode n = JsonCodec.MAPPER.readTree(json);
        Set<Channel> channels = null;
        if (n.has("channels")) {
            channels = EnumSet.noneOf(Channel.class);
            for (JsonNode c : n.get("channels")) channels.add(Channel.valueOf(c.asString()));
        }
        Map<String, Object> data = n.has("data") ? JsonCodec.MAPPER.treeToValue(n.get("data"), LinkedHashMap.class) : Map.of();
        return new SendRequest(n.get("eventId").asString(), null, List.of(), channels, text(n, "template"),
                n.has("templateVersion") ? n.get("templateVersion").asInt() : null, data, text(n, "locale"),
                n.has("content") ? JsonCodec.content(n.get("content").toString()) : null, text(n, "category"),
                Priority.valueOf(n.get("priority").asString()), instant(n, "sendAt"), instant(n, "expiresAt"),
                localDelivery(n.get("deliverAt")));
    }

    private static io.herald.core.intake.LocalDelivery localDelivery(JsonNode d) {
        if (d == null || d.isNull()) return null;
        String date = text(d, "date");
        return new io.herald.core.intake.LocalDelivery(java.time.LocalTime.parse(d.get("localTime").asString()),
                date == null ? null : java.time.LocalDate.parse(date));
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        return s == null ? null : Instant.parse(s);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
