package io.herald.core.template;

import io.herald.core.model.Content;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Estimates a push payload's size the way APNs counts it: UTF-8 bytes of the JSON document. The estimate builds
 * {@code {"aps":{"alert":{"title":..,"body":..}},"url":..,"data":{..}}}; providers add a few small fields
 * (sound, badge), which is why the default budget is the APNs limit itself rather than something tighter.
 */
public final class PushPayloadSize {

    private PushPayloadSize() {
    }

    public static int bytes(Content content) {
        StringBuilder json = new StringBuilder(256).append("{\"aps\":{\"alert\":{");
        field(json, "title", content.title(), false);
        field(json, "body", content.body(), content.title() != null);
        json.append("}}");
        field(json, "url", content.url(), true);
        if (!content.data().isEmpty()) {
            json.append(",\"data\":{");
            boolean comma = false;
            for (Map.Entry<String, String> e : content.data().entrySet()) {
                field(json, e.getKey(), e.getValue(), comma);
                comma = true;
            }
            json.append('}');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void field(StringBuilder json, String name, String value, boolean comma) {
        if (value == null) return;
        if (comma) json.append(',');
        quote(json, name).append(':');
        quote(json, value);
    }

    private static StringBuilder quote(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"', '\\' -> json.append('\\').append(c);
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
                    else
                        json.append(c);
                }
            }
        }
        return json.append('"');
    }
}
