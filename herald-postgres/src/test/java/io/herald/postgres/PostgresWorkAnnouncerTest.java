package io.herald.postgres;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The announcer under many concurrent intake commits: every lane rung is heard, and heard again when rung again. */
class PostgresWorkAnnouncerTest {

    static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = new PostgresFixture("announcer");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void everyLaneRungByManyThreadsIsHeardAndHeardAgainAfterTheNextRing() throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        List<WorkQueue> queues = List.of(new WorkQueue(Channel.EMAIL, null), new WorkQueue(Channel.SMS, null),
                new WorkQueue(Channel.PUSH, Platform.IOS));
        try (var listener = new PostgresWorkListener(db.db.dataSource(), (q, p) -> heard.add(q.name() + ":" + p));
                var announcer = new PostgresWorkAnnouncer(db.db.relaxedDataSource())) {
            assertThat(listener.awaitListening(Duration.ofSeconds(10))).isTrue();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int seed = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                        announcer.workAdded(queues.get((seed + i) % queues.size()), Priority.values()[(seed + i) % 2]);
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) t.join();
            Set<String> expected = Set.of("EMAIL:HIGH", "EMAIL:NORMAL", "SMS:HIGH", "SMS:NORMAL", "PUSH_IOS:HIGH", "PUSH_IOS:NORMAL");
            awaitHeard(heard, expected);

            // rung again after it was announced: heard again (the lane's flag was cleared before its statement)
            heard.clear();
            announcer.workAdded(queues.getFirst(), Priority.LOW);
            announcer.workAdded(queues.getFirst(), Priority.HIGH);
            awaitHeard(heard, Set.of("EMAIL:LOW", "EMAIL:HIGH"));
        }
    }

    private static void awaitHeard(BlockingQueue<String> heard, Set<String> expected) throws InterruptedException {
        java.util.HashSet<String> got = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!got.containsAll(expected)) {
            String next = heard.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(next).as("heard so far %s, expected %s", got, expected).isNotNull();
            got.add(next);
        }
    }
}
