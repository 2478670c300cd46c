package io.herald.kafka;

import io.herald.core.model.Priority;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.DeliveryQueue;
import io.herald.core.queue.Transition;
import io.herald.core.queue.WorkQueue;
import io.herald.postgres.PostgresDeliveryQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The delivery queue with Kafka carrying the work. PostgreSQL stays the source of truth: queue_entries is the
 * outbox the {@link OutboxRelay} publishes from, a claim takes the messages of its lane's topic and leases their
 * entries with the same fenced SQL as the PostgreSQL engine, and outcomes are stored by the PostgreSQL engine's
 * writer. A message's offset is committed only after its outcome is stored (or its entry turned out to be taken,
 * done or not due: a stale copy). Schedules, retries, expiry, dead letters and statistics stay in PostgreSQL.
 * The dispatcher does not know which engine it runs on.
 */
public final class KafkaDeliveryQueue implements DeliveryQueue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaDeliveryQueue.class);

    private final PostgresDeliveryQueue store;
    private final ClaimByIds claims;
    private final KafkaSettings settings;
    private final String clientId;
    private final Map<String, LaneConsumer> lanes = new ConcurrentHashMap<>();
    /** Messages whose entry is leased here, by notification id and attempt, until their outcome is stored. */
    private final Map<String, Held> inFlight = new ConcurrentHashMap<>();

    private record Held(LaneConsumer.Taken taken, Instant leaseEnds) {
    }

    public KafkaDeliveryQueue(PostgresDeliveryQueue store, JdbcTemplate jdbc, KafkaSettings settings, String clientId) {
        this.store = store;
        this.claims = new ClaimByIds(jdbc);
        this.settings = settings;
        this.clientId = clientId;
    }

    @Override
    public List<ClaimedDelivery> claim(WorkQueue queue, Priority priority, int max, Duration lease, String owner, Instant now) {
        LaneConsumer lane = lanes.computeIfAbsent(laneKey(queue, priority),
                k -> new LaneConsumer(settings, queue, priority, clientId, Math.max(max, settings.relayBatch())));
        synchronized (lane) {
            releaseExpired(lane, now);
            List<ConsumerRecord<String, String>> records = lane.take(max);
            if (records.isEmpty()) return List.of();
            // one message per entry: further copies in this batch are stale by construction
            Map<UUID, List<LaneConsumer.Taken>> byId = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                UUID id = parse(r.value());
                if (id == null) {
                    lane.taken(r).done();
                    continue;
                }
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(lane.taken(r));
            }
            List<ClaimedDelivery> claimed;
            try {
                claimed = claims.claim(byId.keySet(), lease, owner, now);
            } catch (RuntimeException e) {
                lane.giveBack(records);
                throw e;
            }
            for (ClaimedDelivery d : claimed) {
                List<LaneConsumer.Taken> copies = byId.remove(d.id());
                inFlight.put(key(d.id(), d.attempt()), new Held(copies.getFirst(), now.plus(lease)));
                copies.subList(1, copies.size()).forEach(LaneConsumer.Taken::done);
            }
            // the rest were done, leased by a live worker, or not due: their entry goes on without these messages
            byId.values().forEach(copies -> copies.forEach(LaneConsumer.Taken::done));
            return claimed;
        }
    }

    @Override
    public void interruptClaims(WorkQueue queue) {
        for (Priority p : Priority.values()) {
            LaneConsumer lane = lanes.get(laneKey(queue, p));
            if (lane != null) lane.interrupt(); // not under the lane's lock: its claim holds that while it polls
        }
    }

    private static String laneKey(WorkQueue queue, Priority priority) {
        return queue.name() + "." + priority;
    }

    @Override
    public List<Transition> apply(List<Transition> transitions) {
        List<Transition> fenced = store.apply(transitions);
        // stored or fenced, that attempt is over: its message may be committed
        for (Transition t : transitions) {
            if (t.lease() == null) continue;
            Held held = inFlight.remove(key(t.id(), t.lease().attempt()));
            if (held != null) held.taken().done();
        }
        return fenced;
    }

    /**
     * A send that never handed in an outcome (its thread died of an Error) would hold its partition's commits for
     * ever: once its lease ended the entry is due again, unmarked, so the relay publishes it anew and this message
     * may be committed.
     */
    private void releaseExpired(LaneConsumer lane, Instant now) {
        inFlight.values().removeIf(h -> {
            if (h.taken().lane() != lane || !h.leaseEnds().isBefore(now)) return false;
            h.taken().done();
            return true;
        });
    }

    @Override
    public int expireOverdue(Instant now, int max) {
        return store.expireOverdue(now, max);
    }

    @Override
    public int promoteDue(Instant now, int max) {
        return store.promoteDue(now, max);
    }

    @Override
    public int requeueDeadLetters(List<UUID> ids, Instant now) {
        return store.requeueDeadLetters(ids, now); // new entries, unmarked: the relay publishes them
    }

    @Override
    public List<LaneStats> stats(Instant now) {
        return store.stats(now);
    }

    private static String key(UUID id, int attempt) {
        return id + "#" + attempt;
    }

    private static UUID parse(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a message that names no notification: {}", value);
            return null;
        }
    }

    /** Commits what is done and leaves the groups; call after the dispatchers stopped. */
    @Override
    public void close() {
        lanes.values().forEach(LaneConsumer::close);
        lanes.clear();
    }
}
