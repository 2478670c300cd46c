-- History events are only ever inserted for a notification written or locked by the same statement or transaction
-- (intake, claim, outcome, expiry, cancel, receipts and tracking, which lock the row first), so the foreign key's check
-- of every insert proved nothing: a per-row trigger that key-share locks the notification, which writes a WAL record
-- and dirties its page, twice per delivered notification (SENDING and SENT). As V24 did for queue entries, its
-- ON DELETE CASCADE stays, as one statement-level trigger over the deleted rows.
ALTER TABLE notification_events DROP CONSTRAINT notification_events_notification_id_fkey;

CREATE FUNCTION herald_notification_events_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM notification_events e USING gone WHERE e.notification_id = gone.id;
    RETURN NULL;
END $$;

CREATE TRIGGER notifications_events_cascade AFTER DELETE ON notifications REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION herald_notification_events_cascade();

-- A rate-limit bucket's row is updated by every send to its key; its expiry (when the bucket is full again, only
-- used to delete it) now moves in whole minutes, so most updates change no indexed column and can be HOT (no new
-- entries in either index), given room on the page.
ALTER TABLE rate_limit_buckets SET (fillfactor = 50);
