package io.herald.core.dispatch;

import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;

import java.time.Duration;

/** What metrics and alerts hear from the dispatchers. All methods must be cheap and must not throw. */
public interface DispatchListener {

    DispatchListener NONE = new DispatchListener() {
    };

    /** One provider call finished, whatever its result. */
    default void providerCall(Channel channel, String provider, String outcome, Duration latency) {
    }

    /**
     * A lane started {@code count} deliveries, claimed from the queue or handed over by intake
     * ({@code io.herald.core.intake.LaneHandoff}).
     */
    default void deliveriesStarted(WorkQueue queue, Priority priority, int count, boolean handedOff) {
    }

    /** A notification reached a new status; {@code sinceAccepted} is the end-to-end latency. */
    default void transition(Channel channel, Priority priority, Transition transition, Duration sinceAccepted) {
    }

    /** An outcome arrived after its lease had been taken over by another claim, and was dropped. */
    default void outcomeFenced(Channel channel, Transition transition) {
    }

    /** The device of a notification was reported gone by its provider. */
    default void deviceDeactivated(Channel channel, String provider) {
    }
}
