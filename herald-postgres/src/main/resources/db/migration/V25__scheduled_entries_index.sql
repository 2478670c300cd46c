-- The scheduler's pass (promote scheduled entries that became due) filtered on state = 'SCHEDULED' with no index
-- to serve it: each pass read the whole queue. Behind a 1,000,000-recipient broadcast that was a sequential scan
-- of a million entries every pass, a visible share of PostgreSQL's CPU (docs/benchmarks.md). Partial: only the
-- entries that wait for a time are in it, so the hot READY path pays nothing.
CREATE INDEX queue_entries_scheduled ON queue_entries (available_at) WHERE state = 'SCHEDULED';
