package io.herald.server.observability;

import io.herald.core.dispatch.DispatchListener;
import io.herald.core.intake.NotificationStore;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.queue.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Prometheus metrics of the pipeline: accepted, outcomes by status and reason, provider call latency and
 * end-to-end latency (accepted to SENT), as histograms so p50/p99 can be computed across instances.
 */
public final class PipelineMetrics implements DispatchListener {

    private final MeterRegistry registry;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(NotificationStore.Stored stored) {
        if (stored.replay()) {
            Counter.builder("herald.sends.replayed").description("sends answered from an earlier eventId").register(registry).increment();
            return;
        }
        for (var item : stored.receipt().notifications()) {
            Counter.builder("herald.notifications.accepted").tag("channel", item.channel().name())
                    .tag("status", item.status().name()).register(registry).increment();
        }
    }

    @Override
    public void providerCall(Channel channel, String provider, String outcome, Duration latency) {
        Timer.builder("herald.provider.latency").description("time of one provider call")
                .tag("channel", channel.name()).tag("provider", provider).tag("outcome", outcome)
                .publishPercentileHistogram().register(registry).record(latency);
    }

    @Override
    public void transition(Channel channel, Priority priority, Transition t, Duration sinceAccepted) {
        Counter.builder("herald.notifications.outcome").tag("channel", channel.name()).tag("priority", priority.name())
                .tag("status", t.status().name()).tag("reason", t.reason() == null ? "none" : t.reason().name())
                .register(registry).increment();
        if (t.status() == io.herald.core.model.Status.SENT) {
            Timer.builder("herald.notifications.end_to_end").description("accepted to SENT")
                    .tag("channel", channel.name()).tag("priority", priority.name())
                    .publishPercentileHistogram().register(registry).record(sinceAccepted);
        }
    }

    @Override
    public void outcomeFenced(Channel channel, Transition t) {
        Counter.builder("herald.notifications.outcome_fenced")
                .description("outcomes dropped because their lease had expired and been taken over by another claim")
                .tag("channel", channel.name()).register(registry).increment();
    }

    @Override
    public void deviceDeactivated(Channel channel, String provider) {
        Counter.builder("herald.devices.deactivated").tag("provider", provider).register(registry).increment();
    }
}
