package io.herald.redis.cache;

import io.herald.core.cache.InvalidationBus;
import io.herald.redis.TwoProcesses;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 of Redis: publishing never throws; after a restart subscribers drop everything once and hear publications again. */
class RedisInvalidationOutageTest {

    @Test
    void afterAnOutageSubscribersDropWhatTheyMayHaveMissedAndPublicationsFlowAgain() throws Exception {
        try (TwoProcesses redis = TwoProcesses.start();
                RedisInvalidationBus a = new RedisInvalidationBus(redis.a());
                RedisInvalidationBus b = new RedisInvalidationBus(redis.b())) {
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            b.subscribe("templates", new InvalidationBus.Listener() {
                public void invalidate(String key) {
                    heard.add(key);
                }

                public void invalidateAll() {
                    heard.add("*");
                }
            });
            assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("*"); // the first confirmation (an empty cache anyway)
            a.publish("templates", "welcome");
            assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("welcome");

            redis.server().kill();
            a.publish("templates", "lost"); // dropped, not thrown: b waits for its TTL or the reconnect below
            redis.server().restart();

            assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("*"); // Lettuce resubscribed: b drops everything
            // a's engine may still be reconnecting: publish until one arrives (each is harmless)
            String next = null;
            for (int i = 0; i < 300 && next == null; i++) {
                a.publish("templates", "receipt");
                next = heard.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(next).isEqualTo("receipt");
        }
    }
}
