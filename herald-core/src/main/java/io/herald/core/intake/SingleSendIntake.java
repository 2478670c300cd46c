package io.herald.core.intake;

import io.herald.core.concurrent.GroupedCalls;
import io.herald.core.model.Priority;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How single sends reach {@link SendService}.
 *
 * <p>A caller hands its send once to a few platform threads, and the sends waiting together are planned and stored
 * as one batch per app ({@link SendService#sendEach}): one eventId look-up, one limiter statement and one transaction
 * for the group (group commit). On this project's 2-core VMs a thread hand-off costs about as much as the work it
 * hands over (docs/benchmarks.md): the look-up, the limiter and the write grouped each on a stage of its own paid
 * three hand-offs per send and were 14-20% slower, so they were removed. Thread-safe.
 */
public final class SingleSendIntake implements AutoCloseable {

    /** One caller's send. */
    public record Single(long appId, SendRequest request) {
    }

    private final GroupedCalls<Single, Object> groups;
    private final int maxWaiting;
    /** Sends in intake: waiting for a thread or in a group being stored. */
    private final AtomicInteger inIntake = new AtomicInteger();

    private SingleSendIntake(GroupedCalls<Single, Object> groups, int maxWaiting) {
        if (maxWaiting < 1) throw new IllegalArgumentException("at least one send must be allowed to wait");
        this.groups = groups;
        this.maxWaiting = maxWaiting;
    }

    /**
     * @param threads  groups planned and stored at once
     * @param maxGroup most sends in one group
     * @param linger   how long a group formed while another is being stored waits for more sends (an idle server never waits)
     */
    public static SingleSendIntake grouped(SendService sends, int threads, int maxGroup, Duration linger) {
        return grouped(sends, threads, maxGroup, linger, Integer.MAX_VALUE);
    }

    /**
     * @param maxWaiting most sends in intake at once (waiting for a thread or being stored); more are refused
     *                   ({@link IntakeSaturatedException}), except HIGH ones
     */
    public static SingleSendIntake grouped(SendService sends, int threads, int maxGroup, Duration linger, int maxWaiting) {
        if (threads < 1) throw new IllegalArgumentException("a grouped intake needs at least one thread");
        return new SingleSendIntake(new GroupedCalls<>("herald-intake", threads, maxGroup, linger, sends::sendEach), maxWaiting);
    }

    /**
     * Answers exactly as {@link SendService#send} does: the receipt (flagged as a replay), or the exception that refused
     * it; or {@link IntakeSaturatedException} when too many sends wait already (a flood above capacity: each waiting
     * send holds its request, about 100 KB of heap, so an unbounded line ends in OutOfMemoryError).
     */
    public NotificationStore.Stored send(long appId, SendRequest request) {
        // a HIGH send (a one-time code) is always let in, and goes ahead of every other waiting for an intake thread
        boolean urgent = request.priority() == Priority.HIGH;
        if (inIntake.incrementAndGet() > maxWaiting && !urgent) {
            inIntake.decrementAndGet();
            throw new IntakeSaturatedException(maxWaiting);
        }
        Object answer;
        try {
            answer = groups.call(new Single(appId, request), urgent);
        } finally {
            inIntake.decrementAndGet();
        }
        if (answer instanceof RuntimeException refused) throw refused;
        return (NotificationStore.Stored) answer;
    }

    /** Sends waiting for a thread (not counting the groups being stored). */
    public int queued() {
        return groups.queued();
    }

    @Override
    public void close() {
        groups.close();
    }
}
