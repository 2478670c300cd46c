-- App scopes are enforced from this version on. Apps created before stored no scopes and could do everything:
-- they keep every scope, so no running integration loses access on upgrade.
UPDATE apps SET scopes = ARRAY['read', 'send', 'topics', 'users', 'webhooks'] WHERE cardinality(scopes) = 0;
ALTER TABLE apps ALTER COLUMN scopes SET DEFAULT ARRAY['read', 'send', 'topics', 'users', 'webhooks'];
