package io.herald.redis.ratelimit;

import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;
import io.herald.redis.RedisEngine;
import io.herald.redis.RedisScript;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Token buckets shared by every Herald process through Redis, with the semantics of the PostgreSQL engine (greedy
 * refill, reservations into debt down to {@code -maxWait * rate}, one bucket per key and {@link Limit#id()}, state
 * computed on the caller's clock). {@link #acquire} and {@link #acquireAll} are each ONE script call: Redis runs a
 * script atomically, so buckets are exact across processes. A bucket is a hash {t: tokens, u: updated ms} that
 * expires a minute after it would be full again. Thread-safe. Throws
 * {@link io.herald.redis.RedisUnavailableException} when Redis cannot answer: wrap it in a
 * {@link io.herald.core.ratelimit.FailoverRateLimiter}.
 */
public final class RedisRateLimiter implements RateLimiter {

    static final String PREFIX = "herald:rl:";
    private static final double EPSILON = 1e-9;

    // refilled = min(capacity, tokens + elapsed * rate); taken when refilled - 1 >= floor; as PostgresRateLimiter.TAKE
    private static final RedisScript TAKE = RedisScript.of("""
            local now = tonumber(ARGV[1])
            local out = {}
            for i = 1, #KEYS do
              local capacity = tonumber(ARGV[3 * i - 1])
              local rate = tonumber(ARGV[3 * i])
              local floor = tonumber(ARGV[3 * i + 1])
              local state = redis.call('HMGET', KEYS[i], 't', 'u')
              local tokens, updated = capacity, now
              if state[1] then tokens, updated = tonumber(state[1]), tonumber(state[2]) end
              local refilled = math.min(capacity, tokens + math.max(0, now - updated) * rate)
              if refilled - 1 >= floor then
                local left = refilled - 1
                redis.call('HSET', KEYS[i], 't', string.format('%.17g', left), 'u', string.format('%.17g', math.max(updated, now)))
                redis.call('PEXPIRE', KEYS[i], string.format('%d', math.ceil((capacity - left) / rate) + 60000))
                if left >= -1e-9 then
                  out[2 * i - 1], out[2 * i] = 0, 0
                else
                  out[2 * i - 1], out[2 * i] = 1, math.floor(-left / rate + 0.5)
                end
              else
                out[2 * i - 1], out[2 * i] = 2, math.max(0, math.floor(((1 + floor + 1e-9) - refilled) / rate + 0.5))
              end
            end
            return out""");

    private final RedisEngine redis;
    private final Clock clock;

    public RedisRateLimiter(RedisEngine redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    @Override
    public Decision acquire(String key, Limit limit, Duration maxWait) {
        return acquireAll(List.of(new Request(key, limit, maxWait))).getFirst();
    }

    @Override
    public List<Decision> acquireAll(List<Request> requests) {
        if (requests.isEmpty()) return List.of();
        String[] keys = new String[requests.size()];
        String[] args = new String[1 + 3 * requests.size()];
        args[0] = Long.toString(clock.millis());
        for (int i = 0; i < keys.length; i++) {
            Request r = requests.get(i);
            Limit limit = r.limit();
            double rate = (double) limit.refillTokens() / limit.refillPeriod().toMillis();
            keys[i] = PREFIX + r.key() + "|" + limit.id();
            args[3 * i + 1] = Long.toString(limit.capacity());
            args[3 * i + 2] = Double.toString(rate);
            args[3 * i + 3] = Double.toString(-(r.maxWait().toMillis() * rate) - EPSILON);
        }
        List<Object> out = redis.script(TAKE, keys, args);
        List<Decision> decisions = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            long outcome = (Long) out.get(2 * i);
            Duration delay = Duration.ofMillis((Long) out.get(2 * i + 1));
            decisions.add(outcome == 0 ? Decision.CONSUMED : outcome == 1 ? Decision.reserved(delay) : Decision.rejected(delay));
        }
        return decisions;
    }
}
