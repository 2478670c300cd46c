package io.herald.server.observability;

import io.herald.core.dispatch.DispatchListener;
import io.herald.core.intake.NotificationStore;
import io.herald.core.model.Channel;
import io.herald.core.model.Priority;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.queue.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics of the pipeline: accepted, outcomes by status and reason, provider call latency and
 * end-to-end latency (accepted to SENT), as histograms so p50/p99 can be computed across instances.
 *
 * <p>Each meter is looked up once per tag combination and kept: a builder and a registry look-up per notification
 * (tags sorted, an id hashed, a concurrent map probed) was measurable server CPU on the send and delivery paths.
 */
public final class PipelineMetrics implements DispatchListener {

    private record Accepted(Channel channel, Status status) {
    }

    private record Outcome(Channel channel, Priority priority, Status status, Reason reason) {
    }

    private record ProviderCall(Channel channel, String provider, String outcome) {
    }

    private record Lane(Channel channel, Priority priority) {
    }

    private record Start(io.herald.core.queue.WorkQueue queue, Priority priority, boolean handedOff) {
    }

    private final MeterRegistry registry;
    private final Counter replayed;
    private final Map<Accepted, Counter> accepted = new ConcurrentHashMap<>();
    private final Map<Outcome, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<ProviderCall, Timer> providerLatency = new ConcurrentHashMap<>();
    private final Map<Lane, Timer> endToEnd = new ConcurrentHashMap<>();
    private final Map<Channel, Counter> fenced = new ConcurrentHashMap<>();
    private final Map<Start, Counter> started = new ConcurrentHashMap<>();
    private final Map<String, Counter> deactivated = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.replayed = Counter.builder("herald.sends.replayed").description("sends answered from an earlier eventId").register(registry);
    }

    public void accepted(NotificationStore.Stored stored) {
        if (stored.replay()) {
            replayed.increment();
            return;
        }
        for (var item : stored.receipt().notifications()) {
            accepted.computeIfAbsent(new Accepted(item.channel(), item.status()), k -> Counter.builder("herald.notifications.accepted")
                    .tag("channel", k.channel().name()).tag("status", k.status().name()).register(registry)).increment();
        }
    }

    @Override
    public void providerCall(Channel channel, String provider, String outcome, Duration latency) {
        providerLatency.computeIfAbsent(new ProviderCall(channel, provider, outcome), k -> Timer.builder("herald.provider.latency")
                .description("time of one provider call").tag("channel", k.channel().name()).tag("provider", k.provider())
                .tag("outcome", k.outcome()).publishPercentileHistogram().register(registry)).record(latency);
    }

    @Override
    public void deliveriesStarted(io.herald.core.queue.WorkQueue queue, Priority priority, int count, boolean handedOff) {
        if (count == 0) return;
        started.computeIfAbsent(new Start(queue, priority, handedOff), k -> Counter.builder("herald.dispatch.started")
                .description("deliveries a lane started, claimed from its queue or handed over by intake")
                .tag("queue", k.queue().name()).tag("priority", k.priority().name()).tag("via", k.handedOff() ? "handoff" : "claim")
                .register(registry)).increment(count);
    }

    @Override
    public void transition(Channel channel, Priority priority, Transition t, Duration sinceAccepted) {
        outcomes.computeIfAbsent(new Outcome(channel, priority, t.status(), t.reason()),
                k -> Counter.builder("herald.notifications.outcome")
                        .tag("channel", k.channel().name()).tag("priority", k.priority().name()).tag("status", k.status().name())
                        .tag("reason", k.reason() == null ? "none" : k.reason().name()).register(registry))
                .increment();
        if (t.status() == Status.SENT) {
            endToEnd.computeIfAbsent(new Lane(channel, priority), k -> Timer.builder("herald.notifications.end_to_end")
                    .description("accepted to SENT").tag("channel", k.channel().name()).tag("priority", k.priority().name())
                    .publishPercentileHistogram().register(registry)).record(sinceAccepted);
        }
    }

    @Override
    public void outcomeFenced(Channel channel, Transition t) {
        fenced.computeIfAbsent(channel, c -> Counter.builder("herald.notifications.outcome_fenced")
                .description("outcomes dropped because their lease had expired and been taken over by another claim")
                .tag("channel", c.name()).register(registry)).increment();
    }

    @Override
    public void deviceDeactivated(Channel channel, String provider) {
        deactivated.computeIfAbsent(provider, p -> Counter.builder("herald.devices.deactivated").tag("provider", p).register(registry))
                .increment();
    }
}
