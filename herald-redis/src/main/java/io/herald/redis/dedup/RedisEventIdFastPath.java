package io.herald.redis.dedup;

import io.herald.core.intake.EventIdFastPath;
import io.herald.redis.RedisEngine;
import io.herald.redis.RedisScript;
import io.herald.redis.RedisUnavailableException;
import io.lettuce.core.SetArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The eventId fast path on Redis: {@code SET herald:eid:<app>:<eventId> 1 NX PX <ttl>} for each eventId (a batch in
 * ONE script call); a key that was not there yet is an eventId nobody sent within the TTL, so intake skips its
 * database look-up. Redis down: claims nothing, so every eventId is looked up in the database as without Redis
 * (fail open to the database, which stays the guarantee). Memory: about 100 bytes per eventId for the TTL. Thread-safe.
 */
public final class RedisEventIdFastPath implements EventIdFastPath {

    private static final Logger log = LoggerFactory.getLogger(RedisEventIdFastPath.class);
    static final String PREFIX = "herald:eid:";

    private static final RedisScript CLAIM_ALL = RedisScript.of("""
            local out = {}
            for i = 1, #KEYS do
              out[i] = redis.call('SET', KEYS[i], '1', 'NX', 'PX', ARGV[1]) and 1 or 0
            end
            return out""");

    private final RedisEngine redis;
    private final Duration ttl;

    public RedisEventIdFastPath(RedisEngine redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Set<String> claimUnseen(long appId, List<String> eventIds) {
        if (eventIds.isEmpty()) return Set.of();
        try {
            if (eventIds.size() == 1) {
                String e = eventIds.getFirst();
                String ok = redis.call(c -> c.set(key(appId, e), "1", SetArgs.Builder.nx().px(ttl.toMillis())));
                return ok != null ? Set.of(e) : Set.of();
            }
            String[] keys = eventIds.stream().map(e -> key(appId, e)).toArray(String[]::new);
            List<Object> claimed = redis.script(CLAIM_ALL, keys, Long.toString(ttl.toMillis()));
            Set<String> unseen = new LinkedHashSet<>();
            for (int i = 0; i < keys.length; i++) if ((Long) claimed.get(i) == 1L) unseen.add(eventIds.get(i));
            return unseen;
        } catch (RedisUnavailableException e) {
            log.debug("eventId fast path skipped: {}", e.getMessage());
            return Set.of();
        } catch (RuntimeException e) {
            log.warn("eventId fast path skipped", e);
            return Set.of();
        }
    }

    private static String key(long appId, String eventId) {
        return PREFIX + appId + ":" + eventId;
    }
}
