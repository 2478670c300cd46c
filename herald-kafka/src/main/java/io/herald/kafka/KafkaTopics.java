package io.herald.kafka;

import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * One topic per queue and priority ({@code herald.EMAIL.HIGH}): each lane has its own consumers, so a NORMAL or LOW
 * backlog never sits in front of HIGH, and one push vendor's queue never in front of another's.
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    public static String name(KafkaSettings settings, WorkQueue queue, Priority priority) {
        return settings.topicPrefix() + "." + queue.name() + "." + priority.name();
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public static void ensure(KafkaSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (WorkQueue q : WorkQueue.all()) {
                for (Priority p : Priority.values()) {
                    String name = name(settings, q, p);
                    if (!existing.contains(name)) missing.add(new NewTopic(name, settings.partitions(), settings.replicationFactor()));
                }
            }
            if (missing.isEmpty()) return;
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                // another process created some of them at the same moment
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create Herald's topics on " + settings.bootstrapServers() + ": " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
