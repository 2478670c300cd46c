package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A send as the API accepted it, syntax already checked (addresses valid, enums known).
 * Exactly one of {@code userId} and {@code oneOff} is set; exactly one of {@code templateKey} and {@code content}.
 *
 * @param oneOff   raw targets of a one-off send (at most one per channel)
 * @param channels null means the template's default channels (or the channels of the one-off targets)
 * @param deliverAt instead of {@code sendAt}: a wall-clock time in the recipient's zone
 */
public record SendRequest(String eventId, String userId, List<Target> oneOff, Set<Channel> channels,
                          String templateKey, Integer templateVersion, Map<String, Object> data, String locale,
                          Content content, String category, Priority priority, Instant sendAt, Instant expiresAt,
                          LocalDelivery deliverAt) {

    public SendRequest(String eventId, String userId, List<Target> oneOff, Set<Channel> channels, String templateKey,
                       Integer templateVersion, Map<String, Object> data, String locale, Content content, String category,
                       Priority priority, Instant sendAt, Instant expiresAt) {
        this(eventId, userId, oneOff, channels, templateKey, templateVersion, data, locale, content, category, priority, sendAt,
                expiresAt, null);
    }

    public SendRequest {
        if (sendAt != null && deliverAt != null) throw new IllegalArgumentException("sendAt and deliverAt exclude each other");
        Objects.requireNonNull(eventId, "eventId");
        oneOff = oneOff == null ? List.of() : List.copyOf(oneOff);
        data = data == null ? Map.of() : data;
        priority = priority == null ? Priority.NORMAL : priority;
        channels = channels == null ? null : Set.copyOf(channels);
    }

    /** The same send addressed to one user: what a broadcast plans for each of its recipients. */
    public SendRequest forUser(String user) {
        return new SendRequest(eventId, user, List.of(), channels, templateKey, templateVersion, data, locale, content, category,
                priority, sendAt, expiresAt, deliverAt);
    }

    public SendRequest withoutExpiry() {
        return new SendRequest(eventId, userId, oneOff, channels, templateKey, templateVersion, data, locale, content, category,
                priority, sendAt, null, deliverAt);
    }

    /** The same send at a fixed instant: a local-time delivery resolved for one recipient. */
    public SendRequest at(Instant when) {
        return new SendRequest(eventId, userId, oneOff, channels, templateKey, templateVersion, data, locale, content, category,
                priority, when, expiresAt, null);
    }
}
