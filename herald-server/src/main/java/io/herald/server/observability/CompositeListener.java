package io.herald.server.observability;

import io.herald.core.dispatch.DispatchListener;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.Transition;

import java.time.Duration;
import java.util.List;

/** Fans dispatcher events out to metrics and alerts. */
public record CompositeListener(List<DispatchListener> listeners) implements DispatchListener {

    @Override
    public void providerCall(Channel channel, String provider, String outcome, Duration latency) {
        listeners.forEach(l -> l.providerCall(channel, provider, outcome, latency));
    }

    @Override
    public void deliveriesStarted(io.herald.core.queue.WorkQueue queue, Priority priority, int count, boolean handedOff) {
        listeners.forEach(l -> l.deliveriesStarted(queue, priority, count, handedOff));
    }

    @Override
    public void transition(Channel channel, Priority priority, Transition transition, Duration sinceAccepted) {
        listeners.forEach(l -> l.transition(channel, priority, transition, sinceAccepted));
    }

    @Override
    public void outcomeFenced(Channel channel, Transition transition) {
        listeners.forEach(l -> l.outcomeFenced(channel, transition));
    }

    @Override
    public void deviceDeactivated(Channel channel, String provider) {
        listeners.forEach(l -> l.deviceDeactivated(channel, provider));
    }
}
