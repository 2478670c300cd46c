package io.herald.server.config;

import io.herald.core.dispatch.BulkYield;
import io.herald.core.dispatch.LaneSettings;
import io.herald.core.queue.WorkQueue;
import io.herald.core.retry.RetryPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Queue workers: defaults for every queue, overridable per channel ({@code herald.dispatch.channels.PUSH.*}, all of
 * its queues) and per queue ({@code herald.dispatch.channels.PUSH_IOS.*}, which wins over the channel's).
 *
 * @param intakeHandoff a process that is API and worker hands immediate notifications from intake straight to its own
 *                      lanes when they have a free slot (PostgreSQL engine; {@code LaneHandoff}); default true
 */
@ConfigurationProperties("herald.dispatch")
public record DispatchProperties(Lane defaults, Map<String, Lane> channels, Duration schedulerInterval, YieldToHigh yieldToHigh,
                                 Boolean intakeHandoff) {

    private static final Lane NONE = new Lane(null, null, null, null, null, null, null, null, null, null, null, null);

    public DispatchProperties {
        defaults = defaults == null ? NONE : defaults;
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        schedulerInterval = schedulerInterval == null ? Duration.ofSeconds(1) : schedulerInterval;
        yieldToHigh = yieldToHigh == null ? new YieldToHigh(null, null, null) : yieldToHigh;
        intakeHandoff = intakeHandoff == null || intakeHandoff;
        for (String key : channels.keySet()) {
            try {
                WorkQueue.select(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("herald.dispatch.channels: " + e.getMessage());
            }
        }
    }

    /**
     * Any null field falls back to the channel's, then to the defaults, then to the values in code.
     *
     * @param maxReclaims dead-letter a notification whose worker died (lease expired without an outcome) this many times
     * @param maxAge      a notification not delivered this long after it became due is dead-lettered
     * @param idlePollInterval the longest an idle lane waits between looks (default: 10 x its poll-interval)
     * @param handoffHeadroom  handoffs a drained lane takes beyond its concurrency while outcomes wait for their commit
     *                         (default: 3 x its concurrency; {@link LaneSettings})
     */
    public record Lane(Integer concurrency, Integer batchSize, Duration lease, Duration pollInterval, Integer maxAttempts,
                       Duration initialBackoff, Duration maxBackoff, Double backoffMultiplier, Integer maxReclaims,
                       Duration maxAge, Duration idlePollInterval, Integer handoffHeadroom) {
    }

    /**
     * Bulk work (broadcast fan-out, LOW and NORMAL claims) rests while HIGH deliveries in this process wait longer than
     * {@code target} from due to claimed ({@link BulkYield}).
     *
     * @param enabled true: bulk rests while HIGH waits (default false)
     * @param maxRest the longest rest before one bulk step
     */
    public record YieldToHigh(Boolean enabled, Duration target, Duration maxRest) {
        public YieldToHigh {
            enabled = enabled != null && enabled; // off unless asked: no gain measured on the bench (docs/benchmarks.md)
            target = target == null ? BulkYield.Settings.DEFAULT.target() : target;
            maxRest = maxRest == null ? BulkYield.Settings.DEFAULT.maxRest() : maxRest;
        }

        public BulkYield bulkYield() {
            var d = BulkYield.Settings.DEFAULT;
            return enabled
                    ? BulkYield.of(new BulkYield.Settings(target, d.firstRest(), maxRest, d.calmAfter()))
                    : BulkYield.restless(System::nanoTime);
        }
    }

    public LaneSettings settingsFor(WorkQueue queue) {
        return settingsFor(queue, 0);
    }

    /**
     * @param providerConcurrency what the queue's providers ask for ({@code ChannelProvider.preferredConcurrency}; 0: no
     *                            opinion): used when neither the queue, its channel nor the defaults set a concurrency
     */
    public LaneSettings settingsFor(WorkQueue queue, int providerConcurrency) {
        Lane q = overrideFor(List.of(queue)), c = overrideFor(WorkQueue.of(queue.channel()));
        LaneSettings base = LaneSettings.DEFAULT;
        RetryPolicy r = RetryPolicy.DEFAULT;
        Duration poll = pick(q.pollInterval(), c.pollInterval(), defaults.pollInterval(), base.pollInterval());
        int concurrency = pick(q.concurrency(), c.concurrency(), defaults.concurrency(),
                providerConcurrency > 0 ? providerConcurrency : null, base.concurrency());
        return new LaneSettings(
                concurrency,
                pick(q.batchSize(), c.batchSize(), defaults.batchSize(), base.batchSize()),
                pick(q.lease(), c.lease(), defaults.lease(), base.lease()),
                poll,
                new RetryPolicy(pick(q.maxAttempts(), c.maxAttempts(), defaults.maxAttempts(), r.maxAttempts()),
                        pick(q.initialBackoff(), c.initialBackoff(), defaults.initialBackoff(), r.initialBackoff()),
                        pick(q.maxBackoff(), c.maxBackoff(), defaults.maxBackoff(), r.maxBackoff()),
                        pick(q.backoffMultiplier(), c.backoffMultiplier(), defaults.backoffMultiplier(), r.multiplier()),
                        pick(q.maxReclaims(), c.maxReclaims(), defaults.maxReclaims(), r.maxReclaims()),
                        pick(q.maxAge(), c.maxAge(), defaults.maxAge(), r.maxAge())),
                pick(q.idlePollInterval(), c.idlePollInterval(), defaults.idlePollInterval(),
                        poll.multipliedBy(LaneSettings.IDLE_POLL_FACTOR)),
                pick(q.handoffHeadroom(), c.handoffHeadroom(), defaults.handoffHeadroom(),
                        concurrency * LaneSettings.HANDOFF_HEADROOM_FACTOR));
    }

    /** The settings under the key that selects exactly these queues (keys are matched like queue names: PUSH_IOS = push-ios). */
    private Lane overrideFor(List<WorkQueue> queues) {
        for (var e : channels.entrySet()) if (WorkQueue.select(e.getKey()).equals(queues)) return e.getValue();
        return NONE;
    }

    @SafeVarargs
    private static <T> T pick(T... candidates) {
        for (T t : candidates) if (t != null) return t;
        throw new IllegalStateException("no value");
    }
}
