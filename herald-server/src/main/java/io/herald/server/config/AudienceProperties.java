package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Broadcast fan-out (scheduler role).
 *
 * @param pageSize     recipients planned and committed in one transaction with the broadcast's cursor
 * @param lease        how long a node holds a broadcast without committing a page; after a crash another node (or the
 *                     restarted one) takes it over once this has passed
 * @param pollInterval how often an idle scheduler looks for broadcasts; a broadcast accepted by this process wakes it at once
 * @param commitsInFlight pages of one broadcast committing at once (1 to 4; they still commit in cursor order): the
 *                     insert of a page keeps one PostgreSQL backend busy, a second one meanwhile uses another core;
 *                     while HIGH deliveries flow in this process (any in the last 5 s) pages commit one at a time
 */
@ConfigurationProperties("herald.audience")
public record AudienceProperties(Integer pageSize, Duration lease, Duration pollInterval, Integer commitsInFlight) {
    public AudienceProperties {
        pageSize = pageSize == null ? 2000 : pageSize;
        lease = lease == null ? Duration.ofSeconds(30) : lease;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        commitsInFlight = commitsInFlight == null ? 2 : commitsInFlight;
        if (pageSize < 1 || pageSize > 5000) throw new IllegalArgumentException("herald.audience.page-size must be 1 to 5000");
        if (commitsInFlight < 1 || commitsInFlight > 4) {
            throw new IllegalArgumentException("herald.audience.commits-in-flight must be 1 to 4");
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("herald.audience.lease must be at least 1s");
    }
}
