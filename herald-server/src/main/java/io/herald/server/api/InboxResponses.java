package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.core.inbox.InboxItem;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The JSON answers of /v1/inbox (the same item shape as the stream's message events). */
final class InboxResponses {

    private InboxResponses() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(String id, String title, String body, String url, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> data,
                String createdAt, String readAt, String archivedAt) {
        static Item of(InboxItem i) {
            return new Item(i.id().toString(), i.title(), i.body(), i.url(), i.data(), i.createdAt().toString(),
                    i.readAt() == null ? null : i.readAt().toString(), i.archivedAt() == null ? null : i.archivedAt().toString());
        }
    }

    /** An item after an action, with the user's unread count. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemAnswer(String id, String title, String body, String url,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> data,
                      String createdAt, String readAt, String archivedAt, long unreadCount) {
        static ItemAnswer of(InboxItem i, long unreadCount) {
            Item v = Item.of(i);
            return new ItemAnswer(v.id(), v.title(), v.body(), v.url(), v.data(), v.createdAt(), v.readAt(), v.archivedAt(), unreadCount);
        }
    }

    record Feed(List<Item> items, @Schema(description = "null on the last page", nullable = true) String nextCursor, long unreadCount) {
    }

    record ReadAll(int marked, long unreadCount) {
    }
}
