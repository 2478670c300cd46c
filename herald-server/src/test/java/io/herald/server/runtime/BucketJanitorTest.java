package io.herald.server.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BucketJanitorTest {

    @Test
    void restsAfterEveryFullBatchAsLongAsItTookAndStopsAtAShortOne() {
        AtomicLong clock = new AtomicLong();
        int[] batches = {BucketJanitor.BATCH, BucketJanitor.BATCH, 17};
        long[] took = {40_000_000, 70_000_000, 5_000_000};
        int[] call = {0};
        List<Long> rests = new ArrayList<>();
        long deleted = BucketJanitor.sweep(batchSize -> {
            int i = call[0]++;
            clock.addAndGet(took[i]); // the delete statement's time
            return batches[i];
        }, clock::get, rests::add);
        assertThat(deleted).isEqualTo(2L * BucketJanitor.BATCH + 17);
        assertThat(call[0]).isEqualTo(3);
        assertThat(rests).as("a rest after each full batch, as long as it took; none after the last").containsExactly(40_000_000L,
                70_000_000L);
    }

    @Test
    void aFailingDeleteEndsThePassQuietly() {
        List<Long> rests = new ArrayList<>();
        long deleted = BucketJanitor.sweep(batchSize -> {
            throw new IllegalStateException("database down");
        }, System::nanoTime, rests::add);
        assertThat(deleted).isZero();
        assertThat(rests).isEmpty();
    }
}
