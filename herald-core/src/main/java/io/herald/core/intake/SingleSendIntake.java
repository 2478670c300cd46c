package io.herald.core.intake;

import io.herald.core.concurrent.GroupedCalls;

import java.time.Duration;

/**
 * How single sends reach {@link SendService}.
 *
 * <p>Grouped (the default): a caller hands its send once to a few platform threads, and the sends waiting together
 * are planned and stored as one batch per app ({@link SendService#sendEach}): one eventId look-up, one limiter
 * statement and one transaction for the group. On this project's 2-core VMs a thread hand-off costs about as much as
 * the work it hands over (docs/benchmarks.md); grouping the look-up, the limiter and the write each on its own
 * stage paid three of them per send.
 *
 * <p>Direct: each send is planned on its caller's thread by {@link SendService#send}; whatever grouping its store
 * and limiter do stage by stage still applies. Kept to compare. Thread-safe.
 */
public final class SingleSendIntake implements AutoCloseable {

    /** One caller's send. */
    public record Single(long appId, SendRequest request) {
    }

    private final SendService sends;
    private final GroupedCalls<Single, Object> groups;

    private SingleSendIntake(SendService sends, GroupedCalls<Single, Object> groups) {
        this.sends = sends;
        this.groups = groups;
    }

    /** Each send on its caller's thread. */
    public static SingleSendIntake direct(SendService sends) {
        return new SingleSendIntake(sends, null);
    }

    /**
     * @param threads  groups planned and stored at once
     * @param maxGroup most sends in one group
     * @param linger   how long a group formed while another is being stored waits for more sends (an idle server never waits)
     */
    public static SingleSendIntake grouped(SendService sends, int threads, int maxGroup, Duration linger) {
        if (threads < 1) throw new IllegalArgumentException("a grouped intake needs at least one thread");
        return new SingleSendIntake(sends, new GroupedCalls<>("herald-intake", threads, maxGroup, linger, sends::sendEach));
    }

    /** Answers exactly as {@link SendService#send} does: the receipt (flagged as a replay), or the exception that refused it. */
    public NotificationStore.Stored send(long appId, SendRequest request) {
        if (groups == null) return sends.send(appId, request);
        Object answer = groups.call(new Single(appId, request));
        if (answer instanceof RuntimeException refused) throw refused;
        return (NotificationStore.Stored) answer;
    }

    /** Sends waiting for a thread (not counting the groups being stored); 0 when direct. */
    public int queued() {
        return groups == null ? 0 : groups.queued();
    }

    @Override
    public void close() {
        if (groups != null) groups.close();
    }
}
