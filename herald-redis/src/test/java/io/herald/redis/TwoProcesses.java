package io.herald.redis;

import io.herald.testkit.TestRedis;

/** A test's own redis-server and two engines on it, standing for two Herald processes. */
public record TwoProcesses(TestRedis server, RedisEngine a, RedisEngine b) implements AutoCloseable {

    public static TwoProcesses start() {
        TestRedis server = TestRedis.start();
        return new TwoProcesses(server, new RedisEngine(settings(server)), new RedisEngine(settings(server)));
    }

    /** A timeout generous enough for a shared, loaded test machine (production's default is 250 ms). */
    public static RedisSettings settings(TestRedis server) {
        return new RedisSettings(server.url(), java.time.Duration.ofSeconds(2), null, null);
    }

    @Override
    public void close() {
        a.close();
        b.close();
        server.close();
    }
}
