package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;

/** Told after a commit that a lane has new due work, so idle workers start at once. */
public interface WorkNotifier {

    WorkNotifier NONE = (queue, priority) -> {
    };

    void workAdded(WorkQueue queue, Priority priority);

    /** When only the channel is known: every queue of it. */
    default void workAdded(Channel channel, Priority priority) {
        for (WorkQueue q : WorkQueue.of(channel)) workAdded(q, priority);
    }
}
