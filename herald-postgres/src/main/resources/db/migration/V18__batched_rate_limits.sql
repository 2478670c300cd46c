-- One statement decides many buckets (PostgresRateLimiter.acquireAll): each row of the upsert carries how many tokens
-- its callers ask for and their floor, and says how many it granted. These are the last call's working values only
-- (meaningless between calls); nullable columns cost nothing on this UNLOGGED table.
ALTER TABLE rate_limit_buckets ADD COLUMN asked INT, ADD COLUMN ask_floor DOUBLE PRECISION, ADD COLUMN granted INT;
