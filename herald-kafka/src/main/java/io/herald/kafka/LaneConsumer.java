package io.herald.kafka;

import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer of one lane (a queue and a priority) in this process; all processes' consumers of a lane form one
 * group, so each message goes to one of them. Offsets are committed by hand, only up to where every earlier message
 * of the partition has a stored outcome ({@link PartitionOffsets}); a partition with too many messages in flight is
 * paused, so memory and re-reads after a crash stay bounded while a slow send does not hold the others back.
 * Used by the lane's claiming thread only; outcomes are reported from other threads through {@link #done}.
 */
final class LaneConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LaneConsumer.class);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(250);

    /** A message taken from the topic, not yet committed. */
    record Taken(LaneConsumer lane, TopicPartition partition, long offset) {
        void done() {
            lane.done(this);
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final KafkaSettings settings;
    private final String topic;
    private final ArrayDeque<ConsumerRecord<String, String>> buffer = new ArrayDeque<>();
    private final Map<TopicPartition, PartitionOffsets> offsets = new ConcurrentHashMap<>();
    private long lastCommit = System.nanoTime();

    LaneConsumer(KafkaSettings settings, WorkQueue queue, Priority priority, String clientId, int maxPoll) {
        this.settings = settings;
        this.topic = KafkaTopics.name(settings, queue, priority);
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + topic);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, maxPoll));
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, settings.sessionTimeout().toMillis() / 4));
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commitNow();
                buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
                partitions.forEach(offsets::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                // another member owns them already: committing would fail, re-reading them is safe
                buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
                partitions.forEach(offsets::remove);
            }
        });
    }

    /** Up to {@code max} messages, buffered ones first; waits up to the poll timeout when none is buffered. */
    List<ConsumerRecord<String, String>> take(int max) {
        // at most one commit request per interval, not one per claim of a few messages (a broker round trip and
        // broker CPU each); a crash re-reads a little more, and claims skip what is done
        if (System.nanoTime() - lastCommit >= COMMIT_INTERVAL.toNanos()) {
            lastCommit = System.nanoTime();
            commitLater();
        }
        throttle();
        if (buffer.size() < max) {
            ConsumerRecords<String, String> polled;
            try {
                polled = consumer.poll(buffer.isEmpty() ? settings.pollTimeout() : Duration.ZERO);
            } catch (WakeupException e) {
                polled = ConsumerRecords.empty(); // interrupted: a stop is under way
            }
            for (ConsumerRecord<String, String> r : polled) {
                offsets.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new PartitionOffsets()).taken(r.offset());
                buffer.add(r);
            }
        }
        List<ConsumerRecord<String, String>> out = new ArrayList<>(Math.min(max, buffer.size()));
        while (out.size() < max && !buffer.isEmpty()) out.add(buffer.poll());
        return out;
    }

    /** Makes a poll in progress, or else the next one, return at once (a stop is under way). Any thread may call it. */
    void interrupt() {
        consumer.wakeup();
    }

    /** Puts messages back in front, in order (their claim failed, e.g. the database is down). */
    void giveBack(List<ConsumerRecord<String, String>> records) {
        for (int i = records.size() - 1; i >= 0; i--) buffer.addFirst(records.get(i));
    }

    Taken taken(ConsumerRecord<String, String> r) {
        return new Taken(this, new TopicPartition(r.topic(), r.partition()), r.offset());
    }

    void done(Taken t) {
        PartitionOffsets p = offsets.get(t.partition());
        if (p != null) p.done(t.offset()); // null: the partition was revoked since; its new owner re-reads it
    }

    private void throttle() {
        List<TopicPartition> pause = new ArrayList<>(), resume = new ArrayList<>();
        var paused = consumer.paused();
        offsets.forEach((tp, p) -> {
            boolean full = p.inFlight() >= settings.maxInFlightPerPartition();
            if (full && !paused.contains(tp)) pause.add(tp);
            if (!full && paused.contains(tp)) resume.add(tp);
        });
        if (!pause.isEmpty()) consumer.pause(pause);
        if (!resume.isEmpty()) consumer.resume(resume);
    }

    /** Commits and waits, even when an interrupt meant for a poll is pending. */
    private void commitNow() {
        Map<TopicPartition, OffsetAndMetadata> positions = positionsToCommit();
        if (positions.isEmpty()) return;
        try {
            consumer.commitSync(positions);
        } catch (WakeupException e) {
            consumer.commitSync(positions); // the interrupt was for a poll; the first try used it up
        }
    }

    private void commitLater() {
        Map<TopicPartition, OffsetAndMetadata> positions = positionsToCommit();
        if (positions.isEmpty()) return;
        consumer.commitAsync(positions, (committed, e) -> {
            // a later commit carries a further position; a crash before it re-reads a few messages (claims skip them)
            if (e != null) log.debug("commit on {} failed: {}", topic, e.toString());
        });
    }

    /** Each partition's position that moved since the last call. */
    private Map<TopicPartition, OffsetAndMetadata> positionsToCommit() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        offsets.forEach((tp, p) -> {
            long position = p.advance();
            if (position >= 0) positions.put(tp, new OffsetAndMetadata(position));
        });
        return positions;
    }

    @Override
    public void close() {
        try {
            commitNow();
        } catch (RuntimeException e) {
            log.warn("final commit on {} failed (the next owner re-reads those messages): {}", topic, e.toString());
        }
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
