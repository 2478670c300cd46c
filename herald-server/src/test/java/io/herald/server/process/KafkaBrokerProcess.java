package io.herald.server.process;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker in a child JVM, started from the Kafka jars on the test class path (main class
 * {@code kafka.Kafka}), so tests can kill and restart it under running Herald processes. Its data stays in one
 * directory across restarts; its ports stay the same, so clients reconnect by themselves.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private final Path dir;
    private final int port = ServerProcess.freePort();
    private final Path config;
    private Process process;

    KafkaBrokerProcess(Path dir) {
        this.dir = dir;
        // two ports asked for one after the other can be the same one (CI failed so: "two listeners on the same port")
        int controller = ServerProcess.freePort();
        while (controller == port) controller = ServerProcess.freePort();
        this.config = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, String.join("\n", List.of(
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controller,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false")) + "\n");
            Process format = new ProcessBuilder(ServerProcess.javaExecutable(), "-Xmx256m", "-cp", ServerProcess.serverClassPath(),
                    "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it answers. */
    KafkaBrokerProcess start() {
        try {
            process = new ProcessBuilder(ServerProcess.javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                    ServerProcess.serverClassPath(),
                    "kafka.Kafka", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kill-kafka-broker"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
            while (true) {
                if (!process.isAlive()) throw new IllegalStateException("broker exited; see " + dir.resolve("broker.log"));
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return this;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline)
                        throw new IllegalStateException("broker not ready; see " + dir.resolve("broker.log"), e);
                }
            }
        }
    }

    /** SIGKILL: no clean shutdown; the broker recovers its log at the next start. */
    void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) kill9();
    }
}
