package io.herald.client.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One send ({@code POST /v1/notifications}), immutable; build it with {@link #builder(String)}.
 *
 * <p>{@code eventId} is the idempotency key, unique per app: the same eventId again creates nothing and answers
 * with the original receipt. That is what lets the client retry a send safely after a timeout.
 *
 * @param eventId         idempotency key (required, at most 255 characters)
 * @param userId          a stored user; or {@code to} for a one-off recipient
 * @param to              a one-off recipient; or {@code userId}
 * @param channels        the channels to use; null: the template's default channels
 * @param template        template key; or {@code content}
 * @param templateVersion a specific template version; null: the published one
 * @param data            template variables
 * @param locale          the locale to render in (BCP 47, e.g. {@code ko-KR}); null: the user's
 * @param content         inline content; or {@code template}
 * @param category        e.g. {@code transactional} or {@code marketing}: preferences and limits apply per category
 * @param priority        null: NORMAL
 * @param sendAt          deliver at that time (a scheduled send); null: now
 * @param expiresAt       give up (EXPIRED) if not sent by then
 */
public record SendRequest(String eventId, String userId, Recipient to, List<Channel> channels, String template,
                          Integer templateVersion, Map<String, Object> data, String locale, Content content,
                          String category, Priority priority, Instant sendAt, Instant expiresAt) {

    public SendRequest {
        Objects.requireNonNull(eventId, "eventId is required: it is the idempotency key that makes retries safe");
        if (eventId.isBlank()) throw new IllegalArgumentException("eventId must not be blank");
        channels = channels == null ? null : List.copyOf(channels);
        data = data == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** A builder for a send with that idempotency key. */
    public static Builder builder(String eventId) {
        return new Builder(eventId);
    }

    /** A builder starting from this request's values, e.g. to change the eventId. */
    public Builder toBuilder() {
        Builder b = new Builder(eventId);
        b.userId = userId;
        b.to = to;
        b.channels = channels == null ? null : new ArrayList<>(channels);
        b.template = template;
        b.templateVersion = templateVersion;
        b.data = data == null ? null : new LinkedHashMap<>(data);
        b.locale = locale;
        b.content = content;
        b.category = category;
        b.priority = priority;
        b.sendAt = sendAt;
        b.expiresAt = expiresAt;
        return b;
    }

    /** Builds a {@link SendRequest}. Not thread-safe. */
    public static final class Builder {
        private String eventId;
        private String userId;
        private Recipient to;
        private List<Channel> channels;
        private String template;
        private Integer templateVersion;
        private Map<String, Object> data;
        private String locale;
        private Content content;
        private String category;
        private Priority priority;
        private Instant sendAt;
        private Instant expiresAt;

        private Builder(String eventId) {
            this.eventId = eventId;
        }

        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        /** Send to a stored user. */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /** Send once to an address, number or device that is not a stored user. */
        public Builder to(Recipient to) {
            this.to = to;
            return this;
        }

        public Builder channels(Channel... channels) {
            this.channels = new ArrayList<>(List.of(channels));
            return this;
        }

        public Builder channels(Collection<Channel> channels) {
            this.channels = channels == null ? null : new ArrayList<>(channels);
            return this;
        }

        public Builder template(String key) {
            this.template = key;
            return this;
        }

        public Builder templateVersion(Integer version) {
            this.templateVersion = version;
            return this;
        }

        /** Adds one template variable. */
        public Builder data(String name, Object value) {
            if (data == null) data = new LinkedHashMap<>();
            data.put(name, value);
            return this;
        }

        public Builder data(Map<String, ?> data) {
            this.data = data == null ? null : new LinkedHashMap<>(data);
            return this;
        }

        public Builder locale(String locale) {
            this.locale = locale;
            return this;
        }

        public Builder content(Content content) {
            this.content = content;
            return this;
        }

        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder priority(Priority priority) {
            this.priority = priority;
            return this;
        }

        /** Schedule the send for that time. */
        public Builder sendAt(Instant sendAt) {
            this.sendAt = sendAt;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public SendRequest build() {
            return new SendRequest(eventId, userId, to, channels, template, templateVersion, data, locale, content,
                    category, priority, sendAt, expiresAt);
        }
    }
}
