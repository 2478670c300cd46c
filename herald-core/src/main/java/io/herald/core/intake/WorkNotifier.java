package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;

/** Told after a commit that a lane has new due work, so idle workers start at once. */
public interface WorkNotifier {

    WorkNotifier NONE = (channel, priority) -> {
    };

    void workAdded(Channel channel, Priority priority);
}
