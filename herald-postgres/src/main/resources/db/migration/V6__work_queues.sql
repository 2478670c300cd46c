-- Work queues instead of channel queues: PUSH waits in one queue per platform (PUSH_IOS, PUSH_ANDROID, PUSH_WEB)
-- so one push vendor's outage cannot hold another's work; every other channel keeps one queue of its own name.
ALTER TABLE queue_entries RENAME COLUMN channel TO queue;
UPDATE queue_entries q SET queue = 'PUSH_' || (n.target->>'platform')
FROM notifications n WHERE n.id = q.notification_id AND q.queue = 'PUSH' AND n.target IS NOT NULL;

-- How many times a worker's lease on the entry expired without an outcome: past the limit it is dead-lettered.
ALTER TABLE queue_entries ADD COLUMN reclaims INT NOT NULL DEFAULT 0;

-- The queue a notification waits in (null when it never waited: no recipient, suppressed at intake). Dead letters
-- are counted and requeued by it. Only rows that can still need it are filled in.
ALTER TABLE notifications ADD COLUMN queue TEXT;
UPDATE notifications SET queue = CASE WHEN channel = 'PUSH' THEN 'PUSH_' || (target->>'platform') ELSE channel END
WHERE target IS NOT NULL AND (dead_lettered_at IS NOT NULL OR status IN ('SCHEDULED', 'QUEUED', 'SENDING', 'RETRYING'));
DROP INDEX notifications_dead_letters;
CREATE INDEX notifications_dead_letters ON notifications (queue, priority) WHERE dead_lettered_at IS NOT NULL;

-- Notifications of users erased before erasure cancelled them had no target left and were reclaimed for ever:
-- cancel them now, as erasure does from this version on.
WITH gone AS (
    DELETE FROM queue_entries q USING notifications n
    WHERE n.id = q.notification_id AND n.target IS NULL
    RETURNING q.notification_id),
upd AS (
    UPDATE notifications n SET status = 'CANCELLED', reason = 'CANCELLED', detail = 'the recipient was erased', updated_at = now()
    FROM gone WHERE n.id = gone.notification_id AND n.status IN ('SCHEDULED', 'QUEUED', 'SENDING', 'RETRYING')
    RETURNING n.id, n.attempts)
INSERT INTO notification_events (notification_id, status, at, attempt, reason, detail)
SELECT id, 'CANCELLED', now(), attempts, 'CANCELLED', 'the recipient was erased' FROM upd;
