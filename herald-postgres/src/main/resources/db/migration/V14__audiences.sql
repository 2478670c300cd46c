-- Audiences: topics with their subscribers, and broadcasts (durable fan-outs of one send to many users).

CREATE TABLE topics (
    app_id     BIGINT      NOT NULL REFERENCES apps (id),
    topic_key  TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, topic_key)
);

CREATE TABLE topic_subscribers (
    app_id        BIGINT      NOT NULL,
    topic_key     TEXT        NOT NULL,
    user_id       TEXT        NOT NULL,
    subscribed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, topic_key, user_id),
    FOREIGN KEY (app_id, topic_key) REFERENCES topics (app_id, topic_key) ON DELETE CASCADE,
    FOREIGN KEY (app_id, user_id) REFERENCES users (app_id, user_id) ON DELETE CASCADE
);
CREATE INDEX topic_subscribers_user ON topic_subscribers (app_id, user_id);

-- Attribute filters are containment (attributes @> '{"plan":"pro"}'): a GIN index keeps them off a full scan.
CREATE INDEX users_attributes ON users USING GIN (attributes jsonb_path_ops);

-- One row per audience send. cursor_user_id is the last user planned: it moves in the same transaction as the
-- notifications of each page, so a fan-out resumed after a crash neither skips nor repeats anyone.
-- lease_owner/lease_until let one node at a time fan a broadcast out; an expired lease is taken over.
CREATE TABLE broadcasts (
    id             UUID PRIMARY KEY,
    app_id         BIGINT      NOT NULL REFERENCES apps (id),
    event_id       TEXT        NOT NULL,
    audience       JSONB       NOT NULL,
    request        JSONB       NOT NULL,
    status         TEXT        NOT NULL,
    cursor_user_id TEXT,
    recipients     BIGINT      NOT NULL DEFAULT 0,
    planned        BIGINT      NOT NULL DEFAULT 0,
    lease_owner    TEXT,
    lease_until    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    UNIQUE (app_id, event_id)
);
CREATE INDEX broadcasts_fanning_out ON broadcasts (lease_until) WHERE status = 'FANNING_OUT';

ALTER TABLE notifications ADD COLUMN broadcast_id UUID;
CREATE INDEX notifications_broadcast ON notifications (broadcast_id, status) WHERE broadcast_id IS NOT NULL;

-- Digest windows: sends with the same digest key to the same user, merged into one delivery when the window closes.
-- Stored, so an open window survives restarts; flushed by the scheduler (leased, so one node flushes each window).
CREATE TABLE digests (
    id          UUID PRIMARY KEY,
    app_id      BIGINT      NOT NULL REFERENCES apps (id),
    user_id     TEXT        NOT NULL,
    digest_key  TEXT        NOT NULL,
    request     JSONB       NOT NULL,
    events      JSONB       NOT NULL,
    event_ids   TEXT[]      NOT NULL,
    status      TEXT        NOT NULL,
    opened_at   TIMESTAMPTZ NOT NULL,
    flush_at    TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ,
    flushed_at  TIMESTAMPTZ,
    flush_event_id TEXT
);
CREATE INDEX digests_open ON digests (app_id, user_id, digest_key) WHERE status = 'OPEN';
CREATE INDEX digests_due ON digests (flush_at) WHERE status = 'OPEN';

-- Campaigns: operator-made broadcasts. A draft has no broadcast; scheduling creates one that starts at not_before
-- and is fanned out at most throttle_per_second recipients a second. campaign_id tags every notification it makes.
CREATE TABLE campaigns (
    id                  UUID PRIMARY KEY,
    app_id              BIGINT      NOT NULL REFERENCES apps (id),
    name                TEXT        NOT NULL,
    audience            JSONB       NOT NULL,
    request             JSONB       NOT NULL,
    send_at             TIMESTAMPTZ,
    throttle_per_second INT,
    broadcast_id        UUID,
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaigns_created ON campaigns (created_at DESC, id DESC);

ALTER TABLE broadcasts ADD COLUMN campaign_id UUID;
ALTER TABLE broadcasts ADD COLUMN throttle_per_second INT;
ALTER TABLE broadcasts ADD COLUMN not_before TIMESTAMPTZ;
ALTER TABLE notifications ADD COLUMN campaign_id UUID;
CREATE INDEX notifications_campaign ON notifications (campaign_id) WHERE campaign_id IS NOT NULL;
