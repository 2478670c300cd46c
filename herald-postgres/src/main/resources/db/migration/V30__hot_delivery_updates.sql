-- A delivered notification's row is updated twice after its insert: the claim's SENDING and the outcome's SENT. Neither
-- update was HOT: `status` was in two indexes and the outcome's `provider_message_id` in a third, so every new row
-- version added an entry to each of the table's indexes (~7). Here no index reads a column those two change, and pages
-- keep room for the new versions, so they can stay on the page with no index entry (docs/benchmarks.md, fifteenth
-- session).

-- Room on each page for the claim's and the outcome's versions (applies to pages filled from now on).
ALTER TABLE notifications SET (fillfactor = 70);

-- The status search's index holds every status but the three a send passes through on its way (QUEUED, SENDING, SENT),
-- which map to null, so moving between them changes no indexed value. A search for those three walks the newest-first
-- index: the in-flight ones are the newest rows, SENT most of them. The others (SCHEDULED, RETRYING, DELIVERED, FAILED,
-- SUPPRESSED, CANCELLED, EXPIRED) may be rare in a long history, so they keep an index (a receipt's or an open's
-- DELIVERED is then not HOT: once per notification, for the channels that have receipts). Adding a stored column
-- rewrites the table once, under lock.
ALTER TABLE notifications ADD COLUMN uncommon_status TEXT GENERATED ALWAYS AS (
    CASE WHEN status IN ('QUEUED', 'SENDING', 'SENT') THEN NULL ELSE status END) STORED;
DROP INDEX notifications_app_status;
CREATE INDEX notifications_app_uncommon_status ON notifications (app_id, uncommon_status, created_at DESC, id DESC)
    WHERE uncommon_status IS NOT NULL;

-- Broadcast progress counts by status from the rows (cached for large broadcasts, PostgresBroadcastStore).
DROP INDEX notifications_broadcast;
CREATE INDEX notifications_broadcast ON notifications (broadcast_id) WHERE broadcast_id IS NOT NULL;

-- Receipts find their notification by the provider's message id: that key now lives in a table of its own instead of
-- an index of the notification the outcome updates, and only a SENT whose provider sends receipts writes it (Twilio's
-- status callback; PostgresDeliveryQueue.OUTCOME). Rows sent before keep their key, whatever the provider. Not unique
-- by itself: a provider may give one id to several messages; each keeps its own row.
CREATE TABLE provider_messages (
    provider        TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    notification_id UUID NOT NULL,
    PRIMARY KEY (provider, message_id, notification_id)
);
INSERT INTO provider_messages (provider, message_id, notification_id)
    SELECT provider, provider_message_id, id FROM notifications WHERE provider IS NOT NULL AND provider_message_id IS NOT NULL;
DROP INDEX notifications_provider_msg;

-- Deleted with their notifications (retention), by the key, as one statement-level trigger (see V27).
CREATE FUNCTION herald_provider_messages_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM provider_messages p USING gone
    WHERE p.provider = gone.provider AND p.message_id = gone.provider_message_id AND p.notification_id = gone.id;
    RETURN NULL;
END $$;

CREATE TRIGGER notifications_provider_messages_cascade AFTER DELETE ON notifications REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION herald_provider_messages_cascade();
