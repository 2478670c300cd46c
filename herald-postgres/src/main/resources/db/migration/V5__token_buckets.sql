-- Per-user rate-limit buckets, one row per key, updated by a single atomic upsert (see PostgresRateLimiter).
-- UNLOGGED: no WAL, no disk flush per send. After a crash PostgreSQL empties the table, which only means every
-- user starts with a full bucket again: harmless, and far cheaper than making limiter state durable.
DROP TABLE IF EXISTS rate_limit_buckets;
CREATE UNLOGGED TABLE rate_limit_buckets (
    id          TEXT PRIMARY KEY,
    capacity    DOUBLE PRECISION NOT NULL,
    rate        DOUBLE PRECISION NOT NULL,  -- tokens per millisecond (greedy refill)
    tokens      DOUBLE PRECISION NOT NULL,  -- may be negative: reserved future tokens
    updated_ms  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL             -- when the bucket is full again: deleting it then changes nothing
);
CREATE INDEX rate_limit_buckets_expires ON rate_limit_buckets (expires_at);
