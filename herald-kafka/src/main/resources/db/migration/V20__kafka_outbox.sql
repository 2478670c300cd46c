-- The Kafka engine: queue_entries is the transactional outbox. published_until is the relay's mark: NULL means "not
-- on a topic" (new, due again after a retry or an expired lease); a time means "published, or being published, until
-- then": past it an entry nobody claimed is published again (a relay died mid-publish, or a message was lost).
-- The PostgreSQL engine never sets it. A nullable column without default costs nothing to add or to carry; the relay's
-- two partial indexes are made by the relay itself (OutboxRelay.prepareSchema) when the Kafka engine first starts, so
-- the PostgreSQL engine does not pay their upkeep on every insert and claim.
ALTER TABLE queue_entries ADD COLUMN published_until TIMESTAMPTZ;
