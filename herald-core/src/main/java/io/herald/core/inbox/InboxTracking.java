package io.herald.core.inbox;

import java.time.Instant;
import java.util.UUID;

/** Records an engagement on the notification behind an inbox item (its history, analytics and webhooks). */
public interface InboxTracking {

    InboxTracking NONE = (appId, notificationId, engagement, at) -> {
    };

    void record(long appId, UUID notificationId, Engagement engagement, Instant at);
}
