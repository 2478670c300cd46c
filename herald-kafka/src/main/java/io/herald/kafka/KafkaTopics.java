package io.herald.kafka;

import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One topic per queue and priority ({@code herald.EMAIL.HIGH}): each lane has its own consumers, so a NORMAL or LOW
 * backlog never sits in front of HIGH, and one push vendor's queue never in front of another's.
 */
public final class KafkaTopics {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {
    }

    public static String name(KafkaSettings settings, WorkQueue queue, Priority priority) {
        return settings.topicPrefix() + "." + queue.name() + "." + priority.name();
    }

    /** How long {@link #ensure} waits for the leaders of new topics' partitions to answer for them. */
    static final Duration LEADERS_WAIT = Duration.ofSeconds(30);

    /**
     * Creates the topics that do not exist yet (existing ones are left as they are) and returns once the leader of each
     * partition of Herald's topics answers for it: the new ones, and the ones another process created a moment before.
     * An idempotent producer that writes to a partition the broker has not set up yet gets NOT_LEADER_OR_FOLLOWER for
     * its first request while a later one can land, and the first then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until its
     * delivery timeout (KAFKA-15591, fixed in the broker in 2026): the relay's first entries stalled for its publish
     * timeout (a contract test saw 2 of 3 entries in 60 s).
     */
    public static void ensure(KafkaSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> all = new ArrayList<>();
            List<NewTopic> missing = new ArrayList<>();
            for (WorkQueue q : WorkQueue.all()) {
                for (Priority p : Priority.values()) {
                    String name = name(settings, q, p);
                    all.add(name);
                    if (!existing.contains(name)) missing.add(new NewTopic(name, settings.partitions(), settings.replicationFactor()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    // another process created some of them at the same moment
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            // all of them, not only the ones created here: a node starting beside another finds the topics it just created
            // listed but perhaps not set up yet; on a settled cluster this is one round trip (a few ms)
            awaitLeaders(admin, all, LEADERS_WAIT);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create Herald's topics on " + settings.bootstrapServers() + ": " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits, for at most {@code wait}, until the leader of every partition of the topics answers for it: a list-offsets
     * request goes to the partition's leader and is refused with NOT_LEADER_OR_FOLLOWER, as a produce would be, until the
     * broker has set the partition up. Topic descriptions are not enough: the broker's metadata names the leaders first and
     * sets the partitions up one by one after (about 150 ms for 18 partitions here; a contract test's produce landed in
     * between). Past the wait, start-up goes on (the relay copes: what it could not publish is published again after its
     * mark expires).
     */
    static boolean awaitLeaders(Admin admin, List<String> topics, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().values().forEach(t -> t.partitions()
                        .forEach(p -> latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
                int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(left)).all().get();
                return true;
            } catch (ExecutionException e) {
                // not known to the broker yet, or its leader not set up yet: ask again
            }
            if (System.nanoTime() >= deadline) {
                log.warn("{} new topic(s) not ready after {}; publishing may stall until they are", topics.size(), wait);
                return false;
            }
            Thread.sleep(50);
        }
    }
}
