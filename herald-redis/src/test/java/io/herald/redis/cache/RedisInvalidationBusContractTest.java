package io.herald.redis.cache;

import io.herald.core.cache.InvalidationBus;
import io.herald.redis.TwoProcesses;
import io.herald.testkit.contract.InvalidationBusContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/** Redis pub/sub against the invalidation contract: two engines with a bus each stand for two processes. */
class RedisInvalidationBusContractTest extends InvalidationBusContract {

    private static TwoProcesses redis;
    private static RedisInvalidationBus busA;
    private static RedisInvalidationBus busB;

    @BeforeAll
    static void start() {
        redis = TwoProcesses.start();
        busA = new RedisInvalidationBus(redis.a());
        busB = new RedisInvalidationBus(redis.b());
    }

    @AfterAll
    static void stop() {
        busA.close();
        busB.close();
        redis.close();
    }

    @Override
    protected List<InvalidationBus> twoProcesses() {
        return List.of(busA, busB);
    }
}
