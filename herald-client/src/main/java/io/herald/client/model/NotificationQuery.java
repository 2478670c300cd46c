package io.herald.client.model;

import java.time.Instant;

/**
 * Filters of {@code GET /v1/notifications}; every field is optional. Build it with {@link #builder()}.
 *
 * @param from   created at or after
 * @param to     created before
 * @param limit  page size, 1 to 500; null: the server's default (50)
 * @param cursor where to continue, from {@link Page#nextCursor()}; null: the first page
 */
public record NotificationQuery(String userId, String eventId, Status status, Channel channel, Instant from, Instant to,
                                Integer limit, String cursor) {

    public NotificationQuery {
        if (limit != null && (limit < 1 || limit > 500))
            throw new IllegalArgumentException("limit must be between 1 and 500; got " + limit);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same filters from that cursor on. */
    public NotificationQuery withCursor(String cursor) {
        return new NotificationQuery(userId, eventId, status, channel, from, to, limit, cursor);
    }

    /** Builds a {@link NotificationQuery}. Not thread-safe. */
    public static final class Builder {
        private String userId, eventId, cursor;
        private Status status;
        private Channel channel;
        private Instant from, to;
        private Integer limit;

        private Builder() {
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder status(Status status) {
            this.status = status;
            return this;
        }

        public Builder channel(Channel channel) {
            this.channel = channel;
            return this;
        }

        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        public Builder to(Instant to) {
            this.to = to;
            return this;
        }

        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        public Builder cursor(String cursor) {
            this.cursor = cursor;
            return this;
        }

        public NotificationQuery build() {
            return new NotificationQuery(userId, eventId, status, channel, from, to, limit, cursor);
        }
    }
}
