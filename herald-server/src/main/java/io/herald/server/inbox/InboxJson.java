package io.herald.server.inbox;

import io.herald.core.inbox.InboxItem;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON form of an inbox item, the same in the feed and in the stream's message events. */
public final class InboxJson {

    private InboxJson() {
    }

    public static Map<String, Object> item(InboxItem i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id().toString());
        if (i.title() != null) m.put("title", i.title());
        if (i.body() != null) m.put("body", i.body());
        if (i.url() != null) m.put("url", i.url());
        if (!i.data().isEmpty()) m.put("data", i.data());
        m.put("createdAt", i.createdAt().toString());
        if (i.readAt() != null) m.put("readAt", i.readAt().toString());
        if (i.archivedAt() != null) m.put("archivedAt", i.archivedAt().toString());
        return m;
    }
}
