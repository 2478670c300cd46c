-- The intake's first history event when it is QUEUED or SCHEDULED (at created_at, attempt 0, no reason) lives on the
-- notification row instead of in notification_events: per notification one heap row, two index entries and a
-- foreign-key check less on the intake path. History reads put it before the notification's event rows. Null: the
-- first event is an ordinary event row (rows from before this migration, and intake outcomes such as SUPPRESSED,
-- which analytics and status webhooks must see through the events' trigger). Nullable without default: no rewrite.
ALTER TABLE notifications ADD COLUMN first_status TEXT, ADD COLUMN first_detail TEXT;
