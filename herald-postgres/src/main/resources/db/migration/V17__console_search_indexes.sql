-- Console pages on a production-sized history (docs/benchmarks.md, "Operator console"): measured with 1M notifications.

-- Search by status (with or without channel and time range), newest first. Without it a rare status walked the app's
-- whole newest-first index and filtered: 44k rows read for 51 SCHEDULED (0.5 s). The price: a status change of a
-- notification now updates this index (no HOT update), one index entry per transition.
CREATE INDEX notifications_app_status ON notifications (app_id, status, created_at DESC, id DESC);

-- Dead letters newest first (the console's list, filtered by channel and reason): read in order instead of fetching and
-- sorting every dead letter. Only dead-lettered rows are in it, and setting dead_lettered_at already updated an index.
CREATE INDEX notifications_dead_lettered_at ON notifications (dead_lettered_at DESC, id) WHERE dead_lettered_at IS NOT NULL;
