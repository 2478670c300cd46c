-- The operator console.

-- Support finds notifications by the address they went to: a keyed hash (HMAC, server key) of the normalised
-- target, filled at intake. The readable target stays masked; rows from before this migration have no hash.
ALTER TABLE notifications ADD COLUMN target_hash TEXT;
CREATE INDEX notifications_target_hash ON notifications (app_id, target_hash, created_at DESC) WHERE target_hash IS NOT NULL;

-- The overview's sent/failed per minute over the last hour reads outcome events by time.
CREATE INDEX notification_events_outcomes ON notification_events (at) WHERE status IN ('SENT', 'FAILED');

-- Console sessions live in the database so every API instance behind a load balancer knows them and a restart
-- logs nobody out. The cookie carries a random id; only its SHA-256 is stored.
CREATE TABLE console_sessions (
    id_hash      TEXT PRIMARY KEY,
    username     TEXT        NOT NULL,
    csrf_token   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_at);
