package io.herald.providers.sandbox;

import io.herald.core.model.Channel;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default provider: records what would have been sent instead of sending it. It can be told to add
 * latency and to fail a fraction of sends (transiently), for tests, demos and benchmarks.
 * Keeps the last {@code keep} messages in memory; never blocks the caller beyond the configured latency.
 */
public final class SandboxProvider implements ChannelProvider {

    /** The detail of every sandbox SENT event. */
    public static final String NOT_DELIVERED = "sandbox: not delivered";

    private final Channel channel;
    private final Duration latency;
    private final double failureRate;
    private final int keep;
    private final ConcurrentLinkedDeque<OutboundMessage> recent = new ConcurrentLinkedDeque<>();

    public SandboxProvider(Channel channel, Duration latency, double failureRate, int keep) {
        if (failureRate < 0 || failureRate > 1) throw new IllegalArgumentException("failureRate must be within 0..1");
        this.channel = channel;
        this.latency = latency == null ? Duration.ZERO : latency;
        this.failureRate = failureRate;
        this.keep = Math.max(0, keep);
    }

    public SandboxProvider(Channel channel) {
        this(channel, Duration.ZERO, 0, 1000);
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SendResult.failed("interrupted");
            }
        }
        if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
            return SendResult.failed("sandbox: simulated transient failure");
        }
        if (keep > 0) {
            recent.addFirst(message);
            while (recent.size() > keep) recent.pollLast();
        }
        // said in every trace, so nobody mistakes a sandbox SENT for a delivery
        return SendResult.accepted("sandbox-" + UUID.randomUUID(), NOT_DELIVERED);
    }

    /** Most recent first. */
    public List<OutboundMessage> recent() {
        return List.copyOf(recent);
    }
}
