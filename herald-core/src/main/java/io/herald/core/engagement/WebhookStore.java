package io.herald.core.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Status-webhook subscriptions of an app and their outbox of deliveries (filled from the history by the rollup). */
public interface WebhookStore {

    record Subscription(UUID id, String url, List<String> events, boolean enabled, String disabledReason,
                        Instant createdAt, Instant disabledAt) {
    }

    /** A delivery leased to one sender until its lease passes; attempts counts this one. */
    record Claimed(String id, UUID subscriptionId, String url, String secret, String payload, int attempts, Instant createdAt) {
    }

    record Counts(long pending, long delivered, long failed) {
    }

    void create(long appId, UUID id, String url, List<String> events, String secret, Instant now);

    List<Subscription> list(long appId);

    Optional<Subscription> get(long appId, UUID id);

    Counts counts(UUID id);

    /** Stops deliveries at once; the rows stay for the trace until the subscription is purged. */
    boolean delete(long appId, UUID id, Instant now);

    /**
     * Sends again: the failed deliveries, or with {@code since} every delivery created from then on; re-enables the
     * subscription.
     *
     * @return how many deliveries were queued again, -1 when there is no such subscription
     */
    int replay(long appId, UUID id, Instant since, Instant now);

    /** Leases up to {@code limit} due deliveries of enabled subscriptions; a sender that dies gives them back when the lease ends. */
    List<Claimed> claim(int limit, Instant now, Duration lease);

    void delivered(String id, int status, Instant now);

    /** @param retryAt null when no retry is left: the delivery has failed for good */
    void failed(String id, Integer status, String error, Instant retryAt);

    /**
     * Disables a subscription whose delivery just failed for good when nothing reached it since that delivery was
     * created: the endpoint has been failing for the whole retry schedule.
     *
     * @return the subscription's app when this call disabled it
     */
    Optional<Long> disableIfDead(UUID subscriptionId, Instant failingSince, String reason, Instant now);

    /** Deletes delivered and cancelled messages created before {@code before}. @return how many */
    int purge(Instant before);
}
