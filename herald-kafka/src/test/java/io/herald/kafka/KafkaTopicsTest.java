package io.herald.kafka;

import io.herald.core.model.Priority;
import io.herald.core.queue.WorkQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Herald's topics: one per queue and priority, each partition's leader ready before anything is published to it. */
class KafkaTopicsTest {

    @Test
    void everyNewPartitionTakesAProduceWithoutARetryOnceEnsureReturns() throws Exception {
        KafkaSettings settings = TestBroker.freshSettings(2);
        KafkaTopics.ensure(settings);

        List<String> names = names(settings);
        assertEveryPartitionTakesAProduceWithoutARetry(settings, names, 2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
            KafkaTopics.ensure(settings); // a second start finds them all and creates nothing
            assertThat(admin.listTopics().names().get().stream().filter(n -> n.startsWith(settings.topicPrefix() + ".")))
                    .hasSize(names.size());
        }
    }

    @Test
    void topicsAnotherNodeCreatedAMomentBeforeAreAwaitedToo() throws Exception {
        KafkaSettings settings = TestBroker.freshSettings(2);
        List<String> names = names(settings);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
            // the other node: creates them all and does not wait for their leaders
            admin.createTopics(names.stream().map(n -> new NewTopic(n, 2, (short) 1)).toList()).all().get();
        }
        KafkaTopics.ensure(settings); // finds them listed, creates nothing
        assertEveryPartitionTakesAProduceWithoutARetry(settings, names, 2);
    }

    private static List<String> names(KafkaSettings settings) {
        List<String> names = new ArrayList<>();
        for (WorkQueue q : WorkQueue.all()) {
            for (Priority p : Priority.values()) names.add(KafkaTopics.name(settings, q, p));
        }
        return names;
    }

    private static void assertEveryPartitionTakesAProduceWithoutARetry(KafkaSettings settings, List<String> names, int partitions)
            throws Exception {
        // no retries: a partition whose leader is named but not set up yet refuses with NOT_LEADER_OR_FOLLOWER, which
        // the broker's metadata shows for up to a few hundred ms after the topics are created (KAFKA-15591's trigger)
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.RETRIES_CONFIG, 0, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (String topic : names) {
                for (int partition = 0; partition < partitions; partition++)
                    sent.add(producer.send(new ProducerRecord<>(topic, partition, "k", "v")));
            }
            for (Future<RecordMetadata> f : sent) assertThat(f.get(30, TimeUnit.SECONDS).offset()).isZero();
        }
    }

    @Test
    void waitingForATopicThatNeverComesGivesUpAfterTheWait() throws Exception {
        KafkaSettings settings = TestBroker.freshSettings(1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
            assertThat(KafkaTopics.awaitLeaders(admin, List.of(settings.topicPrefix() + ".never-created"), Duration.ofMillis(300)))
                    .isFalse();
        }
    }
}
