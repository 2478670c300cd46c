-- The Kafka engine: queue_entries is the transactional outbox. published_until is the relay's mark: NULL means "not
-- on a topic" (new, due again after a retry or an expired lease); a time means "published, or being published, until
-- then": past it an entry nobody claimed is published again (a relay died mid-publish, or a message was lost).
-- The PostgreSQL engine never sets it.
ALTER TABLE queue_entries ADD COLUMN published_until TIMESTAMPTZ;
-- Partial indexes so a relay only ever reads what it must publish, never the published backlog waiting in Kafka.
CREATE INDEX queue_entries_unpublished ON queue_entries (available_at) WHERE published_until IS NULL;
CREATE INDEX queue_entries_published ON queue_entries (published_until) WHERE published_until IS NOT NULL;
