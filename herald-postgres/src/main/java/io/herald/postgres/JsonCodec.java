package io.herald.postgres;

import io.herald.core.intake.SendReceipt;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.model.WebPushSubscription;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Explicit JSON forms of what the stores keep in JSONB columns, so the stored shape never depends on class layout. */
public final class JsonCodec {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonCodec() {
    }

    public static String target(Target t) {
        if (t == null) return null;
        // the flat forms written straight, with Jackson's escaping: a tree and a serializer per row were 12% of a
        // broadcast fan-out's server CPU (JFR, docs/benchmarks.md); the same text as a tree gives (JsonCodecTest)
        return switch (t) {
            case Target.Email e -> flat("EMAIL", "address", e.address());
            case Target.Phone p -> flat("PHONE", "address", p.e164());
            case Target.Inbox i -> flat("INBOX", "userId", i.userId());
            case Target.Device d -> device(d);
        };
    }

    private static String device(Target.Device d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "DEVICE").put("platform", d.platform().name());
        if (d.deviceId() != null) n.put("deviceId", d.deviceId());
        if (d.token() != null) n.put("token", d.token());
        if (d.subscription() != null) n.set("subscription", subscription(d.subscription()));
        return n.toString();
    }

    private static String flat(String type, String field, String value) {
        StringBuilder b = new StringBuilder(32 + value.length()).append("{\"type\":\"").append(type).append("\",\"").append(field)
                .append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(value, b);
        return b.append("\"}").toString();
    }

    public static Target target(String json) {
        if (json == null) return null;
        JsonNode n = MAPPER.readTree(json);
        return switch (n.get("type").asString()) {
            case "EMAIL" -> new Target.Email(n.get("address").asString());
            case "PHONE" -> new Target.Phone(n.get("address").asString());
            case "INBOX" -> new Target.Inbox(n.get("userId").asString());
            default -> new Target.Device(text(n, "deviceId"), Platform.valueOf(n.get("platform").asString()),
                    text(n, "token"), n.has("subscription") ? subscription(n.get("subscription")) : null);
        };
    }

    public static ObjectNode subscription(WebPushSubscription s) {
        ObjectNode n = MAPPER.createObjectNode().put("endpoint", s.endpoint());
        n.putObject("keys").put("p256dh", s.p256dh()).put("auth", s.auth());
        return n;
    }

    public static WebPushSubscription subscription(JsonNode n) {
        JsonNode keys = n.get("keys");
        return new WebPushSubscription(n.get("endpoint").asString(), keys.get("p256dh").asString(), keys.get("auth").asString());
    }

    public static String content(Content c) {
        if (c == null) return null;
        ObjectNode n = MAPPER.createObjectNode();
        putIf(n, "title", c.title());
        putIf(n, "body", c.body());
        putIf(n, "subject", c.subject());
        putIf(n, "html", c.html());
        putIf(n, "text", c.text());
        putIf(n, "url", c.url());
        if (!c.data().isEmpty()) {
            ObjectNode d = n.putObject("data");
            c.data().forEach(d::put);
        }
        return n.toString();
    }

    public static Content content(String json) {
        if (json == null) return null;
        JsonNode n = MAPPER.readTree(json);
        Map<String, String> data = new LinkedHashMap<>();
        if (n.has("data")) n.get("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asString()));
        return new Content(text(n, "title"), text(n, "body"), text(n, "subject"), text(n, "html"), text(n, "text"),
                text(n, "url"), data);
    }

    public static String receipt(SendReceipt r) {
        // streamed: a node tree and its toString cost the intake writer a tenth of its time (JFR of single sends)
        java.io.StringWriter out = new java.io.StringWriter(96 + 128 * r.notifications().size());
        try (var g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("eventId", r.eventId());
            g.writeArrayPropertyStart("notifications");
            for (SendReceipt.Item i : r.notifications()) {
                g.writeStartObject();
                g.writeStringProperty("id", i.id().toString());
                g.writeStringProperty("channel", i.channel().name());
                g.writeStringProperty("status", i.status().name());
                if (i.target() != null) g.writeStringProperty("target", i.target());
                if (i.reason() != null) g.writeStringProperty("reason", i.reason().name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    public static SendReceipt receipt(String json) {
        JsonNode n = MAPPER.readTree(json);
        List<SendReceipt.Item> items = new ArrayList<>();
        for (JsonNode o : n.get("notifications")) {
            items.add(new SendReceipt.Item(UUID.fromString(o.get("id").asString()), Channel.valueOf(o.get("channel").asString()),
                    text(o, "target"), Status.valueOf(o.get("status").asString()),
                    o.has("reason") ? Reason.valueOf(o.get("reason").asString()) : null));
        }
        return new SendReceipt(n.get("eventId").asString(), items);
    }

    private static void putIf(ObjectNode n, String k, String v) {
        if (v != null) n.put(k, v);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
