-- Token buckets of per-user rate limits, shared by every Herald process (bucket4j-postgresql,
-- SELECT ... FOR UPDATE engine; see io.herald.postgres.ratelimit.PostgresRateLimiter).
-- id: app:{appId}:user:{userId}:ch:{channel}:cat:{category}|{limit shape}; state: bucket4j's serialised bucket;
-- expires_at: epoch millis after which the bucket is full again and the row can be deleted.
CREATE TABLE rate_limit_buckets (
    id         TEXT PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);

CREATE INDEX rate_limit_buckets_expires_at ON rate_limit_buckets (expires_at);
