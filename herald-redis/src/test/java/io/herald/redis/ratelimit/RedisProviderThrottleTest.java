package io.herald.redis.ratelimit;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Platform;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.ratelimit.FailoverRateLimiter;
import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.providers.resilience.ThrottleSettings;
import io.herald.providers.resilience.ThrottledProvider;
import io.herald.redis.RedisEngine;
import io.herald.redis.TwoProcesses;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A vendor's 100 messages/s account limit, held by two worker processes together through Redis. */
class RedisProviderThrottleTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private final ThrottleSettings hundredPerSecond = new ThrottleSettings(100, Duration.ofSeconds(1), Duration.ZERO);

    private ThrottledProvider worker(RedisEngine engine, AtomicInteger sent) {
        ChannelProvider vendor = new ChannelProvider() {
            public String name() {
                return "sms-vendor";
            }

            public Channel channel() {
                return Channel.SMS;
            }

            public boolean supports(Target target) {
                return true;
            }

            public SendResult send(OutboundMessage message) {
                sent.incrementAndGet();
                return SendResult.accepted("m-" + message.id());
            }
        };
        var shared = new FailoverRateLimiter(new RedisRateLimiter(engine, clock), new InMemoryRateLimiter(clock), "provider throttles");
        return new ThrottledProvider(vendor, hundredPerSecond, shared, nanos -> clock.advance(Duration.ofNanos(nanos)));
    }

    @Test
    void twoWorkersShareTheVendorsBudgetAndFallBackToTheirOwnBucketsWhileRedisIsDown() {
        try (TwoProcesses redis = TwoProcesses.start()) {
            AtomicInteger sentByA = new AtomicInteger();
            AtomicInteger sentByB = new AtomicInteger();
            ThrottledProvider a = worker(redis.a(), sentByA);
            ThrottledProvider b = worker(redis.b(), sentByB);

            int refused = 0;
            for (int i = 0; i < 150; i++) {
                if (a.send(message()) instanceof SendResult.Failed) refused++;
                if (b.send(message()) instanceof SendResult.Failed) refused++;
            }
            assertThat(sentByA.get() + sentByB.get()).isEqualTo(100); // within one second of the clock: one budget
            assertThat(sentByA.get()).isEqualTo(50);
            assertThat(refused).isEqualTo(200);

            clock.advance(Duration.ofMillis(100)); // 10 more permits, for both together
            for (int i = 0; i < 20; i++) {
                a.send(message());
                b.send(message());
            }
            assertThat(sentByA.get() + sentByB.get()).isEqualTo(110);

            redis.server().kill();
            clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 150; i++) {
                a.send(message());
                b.send(message());
            }
            // each worker on its own full local bucket: the outage costs accuracy (up to 2x), never a stopped channel
            assertThat(sentByA.get() + sentByB.get()).isEqualTo(310);
        }
    }

    private static OutboundMessage message() {
        return new OutboundMessage(UUID.randomUUID(), 1L, "evt", Channel.SMS,
                new Target.Device("d", Platform.ANDROID, "token", null), Priority.NORMAL, Content.ofText("x"), null, null, 1);
    }
}
