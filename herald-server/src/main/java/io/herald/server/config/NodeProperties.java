package io.herald.server.config;

import io.herald.core.queue.WorkQueue;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What this process does. {@code all} (default): API, workers and scheduler. {@code api}, {@code worker},
 * {@code scheduler} alone or combined ("api,scheduler"). Workers may be limited to some queues, so scaling
 * email workers alone is one flag: {@code --herald.roles=worker --herald.worker-channels=EMAIL}; a push platform
 * alone is {@code PUSH_IOS}, {@code PUSH_ANDROID} or {@code PUSH_WEB}, and {@code PUSH} means all three.
 * {@code dataDir} (env HERALD_DATA_DIR, default ./data) holds the embedded database and generated keys.
 * {@code instanceId} names this process in leases and traces (default: host name and pid).
 */
@ConfigurationProperties("herald")
public record NodeProperties(List<String> roles, List<String> workerChannels, String instanceId, java.nio.file.Path dataDir) {

    public NodeProperties {
        roles = roles == null || roles.isEmpty() ? List.of("all") : roles.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).toList();
        for (String r : roles) {
            if (!Set.of("all", "api", "worker", "scheduler").contains(r)) {
                throw new IllegalArgumentException("herald.roles: unknown role '" + r + "' (use all, api, worker, scheduler)");
            }
        }
        dataDir = dataDir == null ? java.nio.file.Path.of("data") : dataDir;
        if (instanceId == null || instanceId.isBlank()) instanceId = ProcessHandle.current().pid() + "@" + hostName();
        workerChannels = workerChannels == null ? List.of() : workerChannels.stream().filter(c -> !c.isBlank()).toList();
        workerQueues(workerChannels); // fails at start-up on an unknown name
    }

    /** The queues this process's workers serve: all when none are named. */
    public List<WorkQueue> workerQueues() {
        return workerQueues(workerChannels);
    }

    private static List<WorkQueue> workerQueues(List<String> names) {
        if (names.isEmpty()) return WorkQueue.all();
        Set<WorkQueue> queues = new LinkedHashSet<>();
        for (String name : names) {
            try {
                queues.addAll(WorkQueue.select(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("herald.worker-channels: " + e.getMessage());
            }
        }
        return List.copyOf(queues);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "herald";
        }
    }

    public boolean api() {
        return roles.contains("all") || roles.contains("api");
    }

    public boolean worker() {
        return roles.contains("all") || roles.contains("worker");
    }

    public boolean scheduler() {
        return roles.contains("all") || roles.contains("scheduler");
    }
}
