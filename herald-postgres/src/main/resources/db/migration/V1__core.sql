-- Herald core schema. One dialect: PostgreSQL (embedded by default, external in production).

-- Client apps. The secret is stored only as a hash.
CREATE TABLE apps (
    id          BIGSERIAL PRIMARY KEY,
    app_key     TEXT        NOT NULL UNIQUE,
    secret_hash TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    scopes      TEXT[]      NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);

CREATE TABLE users (
    app_id      BIGINT      NOT NULL REFERENCES apps (id),
    user_id     TEXT        NOT NULL,
    email       TEXT,
    phone       TEXT,
    locale      TEXT,
    timezone    TEXT,
    attributes  JSONB       NOT NULL DEFAULT '{}',
    preferences JSONB       NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, user_id)
);

-- address: the APNs/FCM token, or the Web Push endpoint; unique per app so re-registering is idempotent.
CREATE TABLE devices (
    id              UUID PRIMARY KEY,
    app_id          BIGINT      NOT NULL,
    user_id         TEXT        NOT NULL,
    platform        TEXT        NOT NULL,
    address         TEXT        NOT NULL,
    token           TEXT,
    subscription    JSONB,
    active          BOOLEAN     NOT NULL DEFAULT TRUE,
    registered_at   TIMESTAMPTZ NOT NULL,
    deactivated_at  TIMESTAMPTZ,
    FOREIGN KEY (app_id, user_id) REFERENCES users (app_id, user_id) ON DELETE CASCADE,
    UNIQUE (app_id, platform, address)
);
CREATE INDEX devices_user ON devices (app_id, user_id) WHERE active;

-- One row per accepted send: the eventId idempotency key and the answer given the first time.
CREATE TABLE send_requests (
    app_id     BIGINT      NOT NULL,
    event_id   TEXT        NOT NULL,
    response   JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, event_id)
);

-- One row per channel and target. target/content keep what the worker needs to send.
CREATE TABLE notifications (
    id                  UUID PRIMARY KEY,
    app_id              BIGINT      NOT NULL,
    event_id            TEXT        NOT NULL,
    user_id             TEXT,
    channel             TEXT        NOT NULL,
    priority            TEXT        NOT NULL,
    category            TEXT,
    template_key        TEXT,
    template_version    INT,
    target              JSONB,
    target_masked       TEXT,
    content             JSONB,
    status              TEXT        NOT NULL,
    reason              TEXT,
    detail              TEXT,
    attempts            INT         NOT NULL DEFAULT 0,
    provider            TEXT,
    provider_message_id TEXT,
    send_at             TIMESTAMPTZ,
    expires_at          TIMESTAMPTZ,
    dead_lettered_at    TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX notifications_app_created ON notifications (app_id, created_at DESC, id DESC);
CREATE INDEX notifications_app_event ON notifications (app_id, event_id);
CREATE INDEX notifications_app_user ON notifications (app_id, user_id, created_at DESC);
CREATE INDEX notifications_provider_msg ON notifications (provider, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX notifications_dead_letters ON notifications (channel, priority) WHERE dead_lettered_at IS NOT NULL;

-- The full history: every status change, and tracking events (OPENED, CLICKED, CONVERTED).
CREATE TABLE notification_events (
    id              BIGSERIAL PRIMARY KEY,
    notification_id UUID        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    status          TEXT        NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    attempt         INT,
    provider        TEXT,
    reason          TEXT,
    detail          TEXT
);
CREATE INDEX notification_events_notification ON notification_events (notification_id, id);

-- The work queue, one lane per channel and priority. A claim moves available_at to the end of the lease
-- and sets lease_owner: the entry leaves the due range while leased and comes back by itself if the
-- worker dies. state tells why a not-leased entry waits: READY, SCHEDULED or RETRYING.
CREATE TABLE queue_entries (
    notification_id UUID PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
    channel         TEXT        NOT NULL,
    priority        TEXT        NOT NULL,
    state           TEXT        NOT NULL,
    available_at    TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ,
    lease_owner     TEXT,
    enqueued_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX queue_entries_due ON queue_entries (channel, priority, available_at);
CREATE INDEX queue_entries_expiring ON queue_entries (expires_at) WHERE expires_at IS NOT NULL;
-- Queue rows are short-lived: vacuum early so dead tuples do not slow the claim scans.
ALTER TABLE queue_entries SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, fillfactor = 80);
