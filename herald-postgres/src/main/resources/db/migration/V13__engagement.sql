-- Engagement: tracking settings, suppressions, analytics rollups and status webhooks.

-- Opens and clicks made by machines (mail scanners, link prefetchers, Apple Mail Privacy Protection) are kept in the
-- history but flagged, so analytics count only people.
ALTER TABLE notification_events ADD COLUMN automated BOOLEAN NOT NULL DEFAULT FALSE;

-- Open and click tracking per app (on unless a row says otherwise), with templates it is off for.
CREATE TABLE tracking_settings (
    app_id             BIGINT PRIMARY KEY REFERENCES apps (id),
    enabled            BOOLEAN     NOT NULL,
    disabled_templates TEXT[]      NOT NULL DEFAULT '{}',
    updated_at         TIMESTAMPTZ NOT NULL
);

-- Addresses that must not be mailed again (hard bounces, spam complaints), per app; address in lower case.
CREATE TABLE suppressions (
    app_id     BIGINT      NOT NULL,
    address    TEXT        NOT NULL,
    reason     TEXT        NOT NULL,
    source     TEXT        NOT NULL,
    detail     TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, address)
);

-- History events that analytics and status webhooks have not yet seen. The trigger writes the pointer in the same
-- transaction as the event (so nothing that happened is missed, whatever crashes); the engagement aggregator takes
-- batches with SKIP LOCKED and deletes them in the transaction that folds them into rollups and webhook deliveries.
-- A queue table rather than a cursor over notification_events.id: ids from concurrent transactions commit out of order.
CREATE TABLE engagement_pending (
    event_id BIGINT PRIMARY KEY
);

CREATE FUNCTION herald_engagement_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO engagement_pending (event_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;

-- Only outcomes and engagement: intake's QUEUED/SCHEDULED and a worker's SENDING/RETRYING cost nothing here.
CREATE TRIGGER notification_events_engagement AFTER INSERT ON notification_events
    FOR EACH ROW WHEN (NEW.status IN ('SENT', 'DELIVERED', 'FAILED', 'SUPPRESSED', 'EXPIRED', 'CANCELLED', 'OPENED', 'CLICKED', 'CONVERTED'))
    EXECUTE FUNCTION herald_engagement_pending();

-- Counters per hour x app x template x campaign x channel x category x metric (x failure reason), upserted by the
-- aggregator; '' stands for "none" so the key can be a primary key.
CREATE TABLE analytics_hourly (
    app_id       BIGINT      NOT NULL,
    hour         TIMESTAMPTZ NOT NULL,
    template_key TEXT        NOT NULL,
    campaign_id  TEXT        NOT NULL,
    channel      TEXT        NOT NULL,
    category     TEXT        NOT NULL,
    metric       TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    count        BIGINT      NOT NULL,
    PRIMARY KEY (app_id, hour, template_key, campaign_id, channel, category, metric, reason)
);

-- Status webhooks of client apps. The secret signs deliveries, so it is kept (it cannot be a hash).
CREATE TABLE webhook_subscriptions (
    id              UUID PRIMARY KEY,
    app_id          BIGINT      NOT NULL REFERENCES apps (id),
    url             TEXT        NOT NULL,
    events          TEXT[]      NOT NULL,
    secret          TEXT        NOT NULL,
    enabled         BOOLEAN     NOT NULL DEFAULT TRUE,
    disabled_reason TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    disabled_at     TIMESTAMPTZ,
    deleted_at      TIMESTAMPTZ
);
CREATE INDEX webhook_subscriptions_app ON webhook_subscriptions (app_id) WHERE deleted_at IS NULL;

-- The outbox: one row per message and subscription, body kept byte for byte so a retry carries the same signature input.
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    subscription_id UUID        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    app_id          BIGINT      NOT NULL,
    event_type      TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_status     INT,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at);
