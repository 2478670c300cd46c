package io.herald.core.concurrent;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Background deletes in batches that leave the database to the hot path beside them: batch after batch until one comes
 * back short, resting after each full one as long as it took, so a pass never takes more than half of one backend.
 */
public final class PacedBatches {

    /** Rests between batches; a test's records the rests instead. */
    public interface Pause {
        void rest(long nanos) throws InterruptedException;
    }

    private PacedBatches() {
    }

    /**
     * @param batch runs one batch and answers how many rows it handled
     * @param full  the batch size: an answer this large means there may be more
     * @return rows handled in all
     */
    public static long run(IntSupplier batch, int full, LongSupplier nanoTime, Pause pause) throws InterruptedException {
        long total = 0;
        int n;
        do {
            long start = nanoTime.getAsLong();
            n = batch.getAsInt();
            total += n;
            if (n >= full) pause.rest(nanoTime.getAsLong() - start);
        } while (n >= full);
        return total;
    }
}
