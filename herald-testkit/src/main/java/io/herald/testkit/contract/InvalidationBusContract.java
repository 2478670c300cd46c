package io.herald.testkit.contract;

import io.herald.core.cache.InvalidationBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link InvalidationBus} engine must do, run against each one (local, Redis): extend it in the engine's
 * module and give two views of one engine standing for two processes (the local engine gives the same bus twice).
 * Delivery may be asynchronous: the tests wait on queues, never sleep. Topics are unique per test.
 */
public abstract class InvalidationBusContract {

    private static final long WAIT_SECONDS = 10;

    private InvalidationBus a;
    private InvalidationBus b;
    private String prefix;

    /** Two views of one engine; a subscription must be in force when {@code subscribe} returns. */
    protected abstract List<InvalidationBus> twoProcesses();

    @BeforeEach
    void views() {
        List<InvalidationBus> views = twoProcesses();
        a = views.get(0);
        b = views.get(1);
        prefix = "contract-" + UUID.randomUUID() + "-";
    }

    /** A subscriber that records what it is told. */
    protected static final class Recorder implements InvalidationBus.Listener {
        final BlockingQueue<String> keys = new LinkedBlockingQueue<>();

        @Override
        public void invalidate(String key) {
            keys.add(key);
        }

        String next() throws InterruptedException {
            String k = keys.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(k).as("a publication within " + WAIT_SECONDS + " s").isNotNull();
            return k;
        }
    }

    private Recorder subscribe(InvalidationBus bus, String topic) {
        Recorder r = new Recorder();
        bus.subscribe(prefix + topic, r);
        return r;
    }

    @Test
    void aPublicationReachesEverySubscriberOfItsTopicInEveryProcess() throws Exception {
        Recorder inA = subscribe(a, "users");
        Recorder inB = subscribe(b, "users");
        Recorder secondInB = subscribe(b, "users");

        a.publish(prefix + "users", "42/u-1");

        assertThat(inB.next()).isEqualTo("42/u-1");
        assertThat(secondInB.next()).isEqualTo("42/u-1");
        assertThat(inA.next()).isEqualTo("42/u-1"); // the publisher's own process hears it too
    }

    @Test
    void onlyTheSubscribersOfTheTopicHearItAndInPublicationOrder() throws Exception {
        Recorder templates = subscribe(b, "templates");
        Recorder users = subscribe(b, "users");

        a.publish(prefix + "templates", "welcome");
        a.publish(prefix + "templates", "receipt");
        a.publish(prefix + "users", "marker");

        assertThat(users.next()).isEqualTo("marker"); // published last: everything before it has arrived
        assertThat(users.keys).isEmpty();
        assertThat(templates.next()).isEqualTo("welcome");
        assertThat(templates.next()).isEqualTo("receipt");
    }

    @Test
    void keysArriveExactlyAsPublished() throws Exception {
        Recorder r = subscribe(b, "credentials");
        List<String> keys = List.of("app-key:with|separators/and spaces", "ключ-😀", "", "x".repeat(300));
        for (String k : keys) a.publish(prefix + "credentials", k);
        for (String k : keys) assertThat(r.next()).isEqualTo(k);
    }

    @Test
    void aFailingSubscriberDoesNotStopTheOthers() throws Exception {
        b.subscribe(prefix + "users", key -> {
            throw new IllegalStateException("broken cache");
        });
        Recorder r = subscribe(b, "users");
        a.publish(prefix + "users", "1/a");
        a.publish(prefix + "users", "1/b");
        assertThat(r.next()).isEqualTo("1/a");
        assertThat(r.next()).isEqualTo("1/b");
    }
}
