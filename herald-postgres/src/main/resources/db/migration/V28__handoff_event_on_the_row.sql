-- A notification that intake handed straight to a lane of this process (LaneHandoff) starts as SENDING, attempt 1, at
-- created_at: that SENDING event now lives on the row, as V23's first event does, instead of a notification_events
-- row (one heap row and two index entries less per delivered notification). History reads put it right after the
-- first event. Null: no such event on the row. Nullable without default: no rewrite.
ALTER TABLE notifications ADD COLUMN handed_off BOOLEAN;
