package io.herald.core.inbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One message in a user's in-app inbox. {@code id} is the id of the IN_APP notification that put it there, so
 * tracking (OPENED, CLICKED) lands on that notification's history. {@code seq} orders a user's items: it is the
 * feed's cursor and the stream's event id.
 */
public record InboxItem(UUID id, long seq, String title, String body, String url, Map<String, String> data,
                        Instant createdAt, Instant readAt, Instant archivedAt) {
    public InboxItem {
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
