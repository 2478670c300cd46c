package io.herald.core.retention;

import io.herald.core.concurrent.PacedBatches;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Keeps notifications, their history and their receipts (and the records of finished broadcasts and digest windows)
 * for a set time, then deletes them: at the target's 16 million
 * notifications a day nothing else bounds the tables, their indexes and every scan over them. A pass deletes in
 * {@link PacedBatches}, so it never takes more than half of one database backend from intake and delivery beside it. A notification's eventId is deduplicated for as long as it is kept.
 */
public final class NotificationRetention {

    private final HistoryPurge purge;
    private final Duration keep;
    private final int batch;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final PacedBatches.Pause pause;

    /** @param keep how long a notification is kept after it was accepted; must be positive */
    public NotificationRetention(HistoryPurge purge, Duration keep, int batch, Clock clock, LongSupplier nanoTime,
                                 PacedBatches.Pause pause) {
        if (keep.isNegative() || keep.isZero()) throw new IllegalArgumentException("retention must be positive: " + keep);
        if (batch < 1) throw new IllegalArgumentException("batch must be positive: " + batch);
        this.purge = purge;
        this.keep = keep;
        this.batch = batch;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.pause = pause;
    }

    /** The oldest creation time kept now. */
    public Instant cutoff() {
        return clock.instant().minus(keep);
    }

    /** What one pass deleted. */
    public record Pass(long notifications, long audienceSends) {
    }

    /** One pass: settled notifications first, then the broadcasts and digest windows none of them needs any more. */
    public Pass runOnce() throws InterruptedException {
        Instant cutoff = cutoff();
        long notifications = PacedBatches.run(() -> purge.purgeSettledBefore(cutoff, batch), batch, nanoTime, pause);
        long audience = PacedBatches.run(() -> purge.purgeFinishedAudienceSendsBefore(cutoff, batch), batch, nanoTime, pause);
        return new Pass(notifications, audience);
    }

}
