package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Locale;

/**
 * Which engine carries the work queues: {@code postgres} (default: the queue_entries table, claimed with SKIP LOCKED)
 * or {@code kafka} (topics per queue and priority, PostgreSQL as the outbox; see {@link KafkaEngineProperties}).
 * The HTTP API and the roles are the same on both.
 */
@ConfigurationProperties("herald.queue")
public record QueueProperties(String engine) {

    public QueueProperties {
        engine = engine == null || engine.isBlank() ? "postgres" : engine.trim().toLowerCase(Locale.ROOT);
        if (!engine.equals("postgres") && !engine.equals("kafka")) {
            throw new IllegalArgumentException("herald.queue.engine: unknown engine '" + engine + "' (use postgres or kafka)");
        }
    }

    public boolean kafka() {
        return engine.equals("kafka");
    }
}
