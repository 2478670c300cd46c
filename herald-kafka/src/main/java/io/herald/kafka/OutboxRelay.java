package io.herald.kafka;

import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Moves due queue entries from PostgreSQL (the outbox) to their topics. Runs in every worker and scheduler process;
 * relays share the work row by row ({@code FOR UPDATE SKIP LOCKED}), so any number may run.
 *
 * <p>Two marks per batch: before publishing, entries are marked for {@code publishTimeout}; once the broker
 * acknowledged them (acks=all), for {@code republishAfter}. A relay that dies between the two leaves a short mark that
 * expires, and the entries are published again: at-least-once, the consumers' claim drops the second copy (the
 * entry is leased or gone by then). A worker's claim clears the mark, so an entry that becomes due again (retry,
 * expired lease, requeued dead letter) is published again at once.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final String MARK = """
            WITH fresh AS (
                SELECT notification_id FROM queue_entries WHERE published_until IS NULL AND available_at <= ?
                ORDER BY available_at LIMIT ? FOR UPDATE SKIP LOCKED),
            stale AS (
                SELECT notification_id FROM queue_entries WHERE published_until <= ? AND available_at <= ?
                ORDER BY published_until LIMIT ? FOR UPDATE SKIP LOCKED)
            UPDATE queue_entries q SET published_until = ?
            WHERE q.notification_id = ANY(ARRAY(SELECT notification_id FROM fresh UNION SELECT notification_id FROM stale)) AND %s
            RETURNING q.notification_id, q.queue, q.priority, q.available_at""".formatted(ClaimByIds.RELAXED);

    private final JdbcTemplate jdbc;
    private final KafkaSettings settings;
    private final Producer<String, String> producer;
    private final Clock clock;
    private volatile boolean running;
    private Thread thread;

    private record Entry(UUID id, WorkQueue queue, Priority priority, Instant due) {
    }

    /**
     * Oldest due first, so a lane's topic is roughly FIFO; ties in PostgreSQL's uuid order (the canonical text sorts
     * like its bytes), the order claims lease a batch in.
     */
    private static final java.util.Comparator<Entry> PUBLISH_ORDER = java.util.Comparator.comparing(Entry::due)
            .thenComparing(e -> e.id().toString());

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, KafkaSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        prepareSchema(jdbc, tx);
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(settings.publishTimeout().toMillis(), 1000));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(settings.publishTimeout().toMillis() - 1, 999));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0); // each batch is flushed at once anyway
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * The relay's partial indexes, so it only ever reads what it must publish, never the published backlog waiting in
     * Kafka. Made here rather than in a migration because only the Kafka engine reads them (every process would pay
     * their upkeep otherwise); relays starting together take turns on an advisory lock, so one builds and the others
     * find them.
     */
    static void prepareSchema(JdbcTemplate jdbc, TransactionTemplate tx) {
        tx.executeWithoutResult(s -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext('herald.kafka.outbox-indexes'))");
            jdbc.execute(
                    "CREATE INDEX IF NOT EXISTS queue_entries_unpublished ON queue_entries (available_at) WHERE published_until IS NULL");
            jdbc.execute(
                    "CREATE INDEX IF NOT EXISTS queue_entries_published ON queue_entries (published_until) WHERE published_until IS NOT NULL");
        });
    }

    /**
     * Publishes one batch of due entries and waits for the broker's acknowledgement.
     *
     * @return how many entries were published
     */
    public int relayOnce() {
        Instant now = clock.instant();
        Timestamp publishing = Timestamp.from(now.plus(settings.publishTimeout()));
        // one statement in autocommit, not waiting for the disk: a mark lost in a database crash only means a republish
        List<Entry> batch = jdbc.query(MARK, (rs, i) -> new Entry(rs.getObject(1, UUID.class),
                WorkQueue.named(rs.getString(2)), Priority.valueOf(rs.getString(3)), rs.getTimestamp(4).toInstant()),
                Timestamp.from(now), settings.relayBatch(), Timestamp.from(now), Timestamp.from(now), settings.relayBatch(), publishing);
        if (batch.isEmpty()) return 0;
        batch = batch.stream().sorted(PUBLISH_ORDER).toList(); // UPDATE .. RETURNING keeps no order
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (Entry e : batch) {
            String id = e.id().toString();
            sent.add(producer.send(new ProducerRecord<>(KafkaTopics.name(settings, e.queue(), e.priority()), id, id)));
        }
        producer.flush();
        List<UUID> acknowledged = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            try {
                sent.get(i).get();
                acknowledged.add(batch.get(i).id());
            } catch (ExecutionException e) {
                // not on the topic: the short mark expires and the entry is published again
                log.warn("publishing notification {} failed, will retry after {}: {}", batch.get(i).id(), settings.publishTimeout(),
                        e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return acknowledged.size();
            }
        }
        if (!acknowledged.isEmpty()) {
            // only where the mark is still ours (a worker that claimed the entry meanwhile cleared it), and never waiting
            // for a row a claim holds: claims lock in id order, an unordered wait here deadlocked with them (measured)
            jdbc.update(con -> {
                var ps = con.prepareStatement("""
                        UPDATE queue_entries SET published_until = ? WHERE notification_id = ANY(ARRAY(
                            SELECT notification_id FROM queue_entries WHERE notification_id = ANY(?) AND published_until = ?
                            FOR UPDATE SKIP LOCKED)) AND %s""".formatted(ClaimByIds.RELAXED));
                ps.setTimestamp(1, Timestamp.from(clock.instant().plus(settings.republishAfter())));
                ps.setArray(2, con.createArrayOf("uuid", acknowledged.toArray()));
                ps.setTimestamp(3, publishing);
                return ps;
            });
        }
        return acknowledged.size();
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofPlatform().daemon().name("herald-kafka-relay").start(this::loop);
    }

    private void loop() {
        Duration backoff = settings.relayInterval();
        while (running) {
            try {
                if (relayOnce() < settings.relayBatch()) Thread.sleep(settings.relayInterval());
                backoff = settings.relayInterval();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // database or broker unavailable: marks protect what was taken, back off and keep going
                log.warn("relay pass failed, retrying in {}: {}", backoff, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
