-- The in-app inbox (IN_APP channel). One item per IN_APP notification, keyed by its id, so a delivery retried after a
-- lost lease finds the item already there. seq orders one user's items: the feed's cursor and the stream's event id.
CREATE TABLE inbox_items (
    id          UUID PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
    seq         BIGSERIAL   NOT NULL,
    app_id      BIGINT      NOT NULL,
    user_id     TEXT        NOT NULL,
    title       TEXT,
    body        TEXT,
    url         TEXT,
    data        JSONB,
    created_at  TIMESTAMPTZ NOT NULL,
    read_at     TIMESTAMPTZ,
    archived_at TIMESTAMPTZ
);
CREATE INDEX inbox_items_user ON inbox_items (app_id, user_id, seq DESC);
-- the unread badge is counted on every change: keep that count an index-only scan of the few unread rows
CREATE INDEX inbox_items_unread ON inbox_items (app_id, user_id) WHERE read_at IS NULL AND archived_at IS NULL;

-- Keys Herald generates for itself and every node must share (the inbox token key), unless configured from the environment.
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    key        BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
