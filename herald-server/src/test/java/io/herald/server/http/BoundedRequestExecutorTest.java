package io.herald.server.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** At most the limit of tasks run at once, on virtual threads; the rest wait and run in order as threads free up. */
class BoundedRequestExecutorTest {

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void runsAtMostItsLimitAtOnceAndTheRestInOrderOnceThreadsFreeUp() throws Exception {
        BoundedRequestExecutor executor = new BoundedRequestExecutor(2);
        CountDownLatch started = new CountDownLatch(2), release = new CountDownLatch(1), done = new CountDownLatch(5);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "t" + i;
            executor.execute(() -> {
                ran.add(name);
                virtual.add(Thread.currentThread().isVirtual());
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.running()).isEqualTo(2);
        assertThat(executor.waiting()).isEqualTo(3);
        assertThat(ran).containsExactlyInAnyOrder("t0", "t1");

        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(5).startsWith(ran.get(0), ran.get(1)).endsWith("t2", "t3", "t4");
        assertThat(virtual).containsOnly(true);
        while (executor.running() > 0) Thread.onSpinWait(); // the last thread releases its slot after its task
        assertThat(executor.waiting()).isZero();
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTaskThatFailsDoesNotCostItsThreadTheNextTask() throws Exception {
        BoundedRequestExecutor executor = new BoundedRequestExecutor(1);
        CountDownLatch after = new CountDownLatch(1);
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        executor.execute(after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
