-- Queue entries are inserted only from their notifications in the same statement (intake, requeue of dead letters),
-- so the foreign key's check of every insert (a per-row trigger that key-share locks the notification) proved nothing
-- and cost about a tenth of the intake statement's PostgreSQL CPU (docs/benchmarks.md, 2026-12-01 evening). Its
-- ON DELETE CASCADE stays, as one statement-level trigger over the deleted rows.
ALTER TABLE queue_entries DROP CONSTRAINT queue_entries_notification_id_fkey;

CREATE FUNCTION herald_queue_entries_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM queue_entries q USING gone WHERE q.notification_id = gone.id;
    RETURN NULL;
END $$;

CREATE TRIGGER notifications_queue_entries_cascade AFTER DELETE ON notifications REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION herald_queue_entries_cascade();
