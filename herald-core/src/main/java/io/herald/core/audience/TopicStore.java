package io.herald.core.audience;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Topics and their subscribers, every call scoped to one app. */
public interface TopicStore {

    /** @return true when the topic was created, false when renamed */
    boolean put(long appId, String key, String name, Instant now);

    Optional<Topic> find(long appId, String key);

    /** Topics ordered by key, after {@code afterKey} (null: from the start). */
    List<Topic> list(long appId, String afterKey, int limit);

    /** Deletes the topic and its subscriptions. @return false when there was no such topic */
    boolean delete(long appId, String key);

    /**
     * Subscribes the users (users not known yet are created without contacts, as a device registration does).
     * Subscribing again is harmless. @return how many subscriptions are new
     */
    int subscribe(long appId, String key, List<String> userIds, Instant now);

    /** @return false when the user was not subscribed */
    boolean unsubscribe(long appId, String key, String userId);

    /** How many users each of the given topics has (topics without subscribers: 0). */
    java.util.Map<String, Long> subscriberCounts(long appId, List<String> keys);

    /** Subscribed userIds in order, after {@code afterUserId} (null: from the start). */
    List<String> subscribers(long appId, String key, String afterUserId, int limit);
}
