-- A claim's SENDING event of attempt 1 (the first claim of a notification not handed off at intake) lives on the row
-- too, as V23's first event and V28's hand-off do: per claimed notification (batches, broadcasts, backlogs) one heap
-- row and two index entries less. first_claim_seq is a value of the events' id sequence taken by that claim, so the
-- history orders it among the event rows exactly where its row would have been, whatever the clocks said. Later
-- claims (retries, reclaims, a requeued dead letter's) stay event rows. Nullable without default: no rewrite.
ALTER TABLE notifications ADD COLUMN first_claimed_at TIMESTAMPTZ, ADD COLUMN first_claim_seq BIGINT;

-- Every notification's history in order of seq, the events on the row (V23, V28, this) with the event rows: what the
-- API's and the console's history read, and what an operator's query should read instead of notification_events.
CREATE VIEW notification_history AS
    SELECT id AS notification_id, 0::numeric AS seq, first_status AS status, created_at AS at, 0 AS attempt,
           NULL::text AS provider, NULL::text AS reason, first_detail AS detail
    FROM notifications WHERE first_status IS NOT NULL
    UNION ALL
    SELECT id, 0.5, 'SENDING', created_at, 1, NULL, NULL, NULL FROM notifications WHERE handed_off
    UNION ALL
    SELECT id, first_claim_seq, 'SENDING', first_claimed_at, 1, NULL, NULL, NULL
    FROM notifications WHERE first_claim_seq IS NOT NULL
    UNION ALL
    SELECT notification_id, id, status, at, attempt, provider, reason, detail FROM notification_events;
