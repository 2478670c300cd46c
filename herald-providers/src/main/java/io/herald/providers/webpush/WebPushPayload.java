package io.herald.providers.webpush;

import io.herald.core.model.Content;
import io.herald.core.provider.OutboundMessage;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plaintext a service worker receives in its {@code push} event ({@code event.data.json()}): a UTF-8
 * JSON object
 * <pre>{"id":"&lt;notification id&gt;","title":"…","body":"…","url":"…","data":{"k":"v"}}</pre>
 * Absent fields are left out. {@code id} lets the page report clicks back for tracking. The
 * {@value WebPushProvider#TOPIC_KEY} entry of data is a delivery option, not content, and is not included.
 */
final class WebPushPayload {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebPushPayload() {
    }

    static byte[] of(OutboundMessage message) {
        Content c = message.content();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", message.id().toString());
        if (c.title() != null) json.put("title", c.title());
        if (c.body() != null) json.put("body", c.body());
        if (c.url() != null) json.put("url", c.url());
        Map<String, String> data = new LinkedHashMap<>(c.data());
        data.remove(WebPushProvider.TOPIC_KEY);
        if (!data.isEmpty()) json.put("data", data);
        return JSON.writeValueAsBytes(json);
    }
}
