-- Support's search by address (console) no longer finds broadcasts' notifications by the index on the target's hash:
-- that index's key is random, so each of a broadcast's million rows put an entry at a random place of it, about 10%
-- of a 1M fan-out's time (docs/benchmarks.md). Broadcasts' notifications are found through the users who have the
-- address (these two indexes, paid once per user, not once per notification) and then by user.
CREATE INDEX users_app_email ON users (app_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX users_app_phone ON users (app_id, phone) WHERE phone IS NOT NULL;
DROP INDEX notifications_target_hash;
CREATE INDEX notifications_target_hash ON notifications (app_id, target_hash, created_at DESC)
    WHERE target_hash IS NOT NULL AND broadcast_id IS NULL;
