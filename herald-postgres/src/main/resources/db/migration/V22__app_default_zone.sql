-- Each app's default timezone for local-time delivery (deliverAt) to users who have none; no row: the server-wide
-- default (herald.policy.default-zone). A table of its own so the apps row and its readers stay as they are.
CREATE TABLE app_zones (
    app_id       BIGINT      PRIMARY KEY REFERENCES apps (id),
    default_zone TEXT        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
